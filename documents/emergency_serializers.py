"""Input and output shapes of break-glass (rules live in documents/emergency.py)."""

from typing import Any

from rest_framework import serializers

from core.fields import ContactField
from documents.models import EmergencyAccess, EmergencyReasonCode


class EmergencyAccessInputSerializer(serializers.Serializer):
    patient = serializers.UUIDField(required=False)
    patient_contact = ContactField(required=False)
    reason_code = serializers.ChoiceField(choices=EmergencyReasonCode.choices)
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("patient" in attrs) == ("patient_contact" in attrs):
            raise serializers.ValidationError(
                {"patient": ["Send exactly one of `patient` and `patient_contact`."]}
            )
        return attrs


class EmergencyReviewInputSerializer(serializers.Serializer):
    justified = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class EmergencyAccessOutputSerializer(serializers.ModelSerializer):
    doctor = serializers.IntegerField(source="doctor_id")
    doctor_name = serializers.CharField(source="doctor.user.name")
    patient = serializers.UUIDField(source="patient_id")
    clinic = serializers.UUIDField(source="clinic_id", allow_null=True)

    class Meta:
        model = EmergencyAccess
        fields = (
            "id",
            "doctor",
            "doctor_name",
            "patient",
            "clinic",
            "reason_code",
            "reason",
            "opened_at",
            "expires_at",
            "review",
            "review_note",
            "reviewed_at",
        )
