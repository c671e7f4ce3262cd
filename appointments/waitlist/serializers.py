"""Shapes of waitlist requests and responses (rules live in `waitlist.services`)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appointments.models import AppointmentMode, AppointmentType
from appointments.serializers import (
    MAX_BIGINT,
    SLOT_TIME_FORMATS,
    TEXT_MAX,
    AppointmentClinicSummaryOutputSerializer,
    AppointmentDoctorSummaryOutputSerializer,
    AppointmentProfileOutputSerializer,
)
from appointments.waitlist.models import WaitlistEntry


class WaitlistJoinInputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    date = serializers.DateField()
    from_time = serializers.TimeField(input_formats=SLOT_TIME_FORMATS, required=False)
    to_time = serializers.TimeField(input_formats=SLOT_TIME_FORMATS, required=False)
    appointment_type = serializers.ChoiceField(
        choices=AppointmentType.choices, default=AppointmentType.FIRST_VISIT
    )
    mode = serializers.ChoiceField(
        choices=AppointmentMode.choices, default=AppointmentMode.IN_CLINIC
    )
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, default="", allow_blank=True)
    patient_profile = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Wait for one of your dependents (`/api/users/me/dependents/`); omitted: "
        "for yourself. 404 `patient_profile_not_found` for any other id.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from_time"), attrs.get("to_time")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError({"to_time": ["Must not be before from_time."]})
        return attrs


class WaitlistOfferOutputSerializer(serializers.Serializer):
    time = serializers.TimeField(source="offered_time", format="%H:%M")
    offered_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(source="offer_expires_at")


class WaitlistEntryOutputSerializer(serializers.ModelSerializer):
    doctor = AppointmentDoctorSummaryOutputSerializer(read_only=True)
    clinic = AppointmentClinicSummaryOutputSerializer(read_only=True)
    patient_profile = AppointmentProfileOutputSerializer(
        read_only=True, help_text="Who is waiting: you or one of your dependents."
    )
    from_time = serializers.TimeField(format="%H:%M", allow_null=True)
    to_time = serializers.TimeField(format="%H:%M", allow_null=True)
    offer = serializers.SerializerMethodField(
        help_text="The live offer: the held time and until when (null while waiting)."
    )
    priority = serializers.SerializerMethodField()

    class Meta:
        model = WaitlistEntry
        fields = (
            "id",
            "doctor",
            "clinic",
            "patient_profile",
            "date",
            "from_time",
            "to_time",
            "appointment_type",
            "mode",
            "notes",
            "status",
            "priority",
            "offer",
            "appointment",
            "source_appointment",
            "created_at",
            "closed_at",
        )
        read_only_fields = fields

    @extend_schema_field(WaitlistOfferOutputSerializer(allow_null=True))
    def get_offer(self, entry: WaitlistEntry) -> dict[str, Any] | None:
        if entry.status != "offered":
            return None
        return dict(WaitlistOfferOutputSerializer(entry).data)

    @extend_schema_field({"type": "string", "enum": ["displaced", "normal"]})
    def get_priority(self, entry: WaitlistEntry) -> str:
        return "displaced" if entry.priority == 0 else "normal"
