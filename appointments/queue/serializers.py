"""Shapes of the queue's requests and responses (the rules live in services and board)."""

from typing import Any

from rest_framework import serializers

from appointments.models import AppointmentSource, QueueState
from appointments.serializers import MAX_BIGINT, TEXT_MAX, AppointmentDetailOutputSerializer
from core.fields import ContactField
from users.models import Gender, PatientProfile, Relation
from users.serializers_profiles import DependentInputSerializer


class WalkInDependentInputSerializer(DependentInputSerializer):
    """A dependent the desk adds to the contact's account: what is asked at the counter (the
    dependents' own shape and checks, fewer fields; the family completes the rest in the
    app)."""

    DESK_FIELDS = ("relation", "name", "gender", "date_of_birth")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {name: fields[name] for name in self.DESK_FIELDS}


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
    patient_profile = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Whom the visit is for: one of the contact's profiles "
        "(`GET /api/appointments/walk-in/profiles/`); 404 `patient_profile_not_found` for any "
        "other. Omitted (and no `dependent`): the account holder.",
    )
    dependent = WalkInDependentInputSerializer(
        required=False,
        help_text="A new dependent of the contact's account, the visit being for them.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("patient_profile") is not None and attrs.get("dependent") is not None:
            raise serializers.ValidationError(
                {"dependent": ["Send either patient_profile or dependent, not both."]}
            )
        return attrs


class WalkInProfilesQueryInputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    contact = ContactField(help_text="The mobile number given at the desk.")


class WalkInProfileOutputSerializer(serializers.ModelSerializer):
    """What the desk sees of a family: who they are, nothing of their records."""

    relation = serializers.ChoiceField(choices=Relation.choices, read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices, read_only=True, allow_blank=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = PatientProfile
        fields = ("id", "name", "relation", "age", "gender")
        read_only_fields = fields


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
    """`id`: the holder account; `name`: the person being seen (their profile's)."""

    id = serializers.UUIDField()
    name = serializers.CharField()


class QueueEntryProfileOutputSerializer(serializers.Serializer):
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
    patient_profile = QueueEntryProfileOutputSerializer(
        help_text="Who is being seen: the holder or one of their dependents."
    )
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
