"""Shapes of the queue's requests and responses (the rules live in services and board)."""

from rest_framework import serializers

from appointments.models import AppointmentSource, QueueState
from appointments.serializers import MAX_BIGINT, TEXT_MAX, AppointmentDetailOutputSerializer
from core.fields import ContactField


class WalkInInputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    contact = ContactField(help_text="The patient's mobile number (found or registered).")
    name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the contact is not registered yet.",
    )
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


class WalkInOutputSerializer(AppointmentDetailOutputSerializer):
    account_created = serializers.SerializerMethodField()

    class Meta(AppointmentDetailOutputSerializer.Meta):
        fields = (*AppointmentDetailOutputSerializer.Meta.fields, "account_created")
        read_only_fields = fields

    def get_account_created(self, _: object) -> bool:
        return bool(self.context.get("account_created"))


class QueueQueryInputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    date = serializers.DateField(required=False, help_text="Default: the clinic's today.")


class QueuePositionOutputSerializer(serializers.Serializer):
    """The patient's view of their place (all null when not in line or not today)."""

    appointment = serializers.IntegerField()
    token = serializers.IntegerField(allow_null=True)
    queue_state = serializers.ChoiceField(choices=QueueState.choices)
    position = serializers.IntegerField(
        allow_null=True, help_text="1 = next to be called; 0 = being seen; null: not in line."
    )
    ahead = serializers.IntegerField(allow_null=True)
    eta = serializers.DateTimeField(
        allow_null=True, help_text="When the consultation is expected to start (ISO 8601)."
    )
    doctor_running_late_minutes = serializers.IntegerField()
    now_serving = serializers.IntegerField(allow_null=True, help_text="The token being seen.")


class QueueEntryPatientOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class QueueEntryOutputSerializer(serializers.Serializer):
    appointment = serializers.IntegerField()
    token = serializers.IntegerField(allow_null=True)
    queue_state = serializers.ChoiceField(choices=QueueState.choices)
    status = serializers.CharField()
    # Declared fields leave the class at creation; `source` only clashes for the type checker.
    source = serializers.ChoiceField(choices=AppointmentSource.choices)  # type: ignore[assignment]
    overbooked = serializers.BooleanField()
    patient = QueueEntryPatientOutputSerializer()
    appointment_time = serializers.CharField(help_text='"HH:MM", clinic-local.')
    position = serializers.IntegerField(allow_null=True)
    eta = serializers.DateTimeField(allow_null=True)
    arrived_at = serializers.DateTimeField(allow_null=True)
    called_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class QueueOutputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    clinic = serializers.UUIDField()
    date = serializers.DateField()
    allow_overbooking = serializers.BooleanField()
    consultation_minutes = serializers.FloatField(help_text="The median used for the ETAs.")
    doctor_running_late_minutes = serializers.IntegerField()
    now_serving = serializers.IntegerField(allow_null=True)
    waiting = serializers.IntegerField()
    entries = QueueEntryOutputSerializer(
        many=True, help_text="Being seen first, then the line in order, then everyone else."
    )


class NextCallOutputSerializer(serializers.Serializer):
    called = QueueEntryOutputSerializer(allow_null=True)
    previous = serializers.IntegerField(
        allow_null=True, help_text="The appointment the call moved on from (finished/skipped)."
    )
    previous_queue_state = serializers.ChoiceField(choices=QueueState.choices, allow_null=True)
