"""Input and output shapes (rules live in services.py)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import Unchangeable, UnchangeableFieldsMixin
from documents.models import (
    ConsentStatus,
    DocumentAccessLog,
    DocumentConsent,
    DocumentType,
    MedicalDocument,
)
from documents.policies import is_consent_active
from documents.services import ACTION_TO_STATUS, role_label

MAX_INT64 = 2**63 - 1


class PersonOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    role = serializers.CharField(help_text='e.g. "patient", "doctor", "lab_member".')


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.name, "role": role_label(user)}


# --- documents -------------------------------------------------------------------------------


class DocumentUploadInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = {"patient": Unchangeable()}

    title = serializers.CharField(max_length=200)
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    appointment = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_INT64
    )
    patient_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Doctors and lab members: the patient whose record receives the document.",
    )
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        help_text="PDF, JPEG or PNG, recognised by content; size capped by the server.",
    )


class DocumentOutputSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(
        help_text="A signed link to the download view, valid for at most 60 seconds; null "
        "where the caller may not open the file (e.g. a lab member after uploading)."
    )
    appointment = serializers.IntegerField(source="appointment_id", allow_null=True)
    patient = serializers.UUIDField(source="patient_id")
    patient_name = serializers.CharField(source="patient.name")
    uploaded_by = serializers.SerializerMethodField()

    class Meta:
        model = MedicalDocument
        fields = (
            "id",
            "title",
            "document_type",
            "description",
            "file",
            "content_type",
            "size_bytes",
            "appointment",
            "patient",
            "patient_name",
            "uploaded_by",
            "uploaded_by_role",
            "created_at",
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, document: MedicalDocument) -> str | None:
        return self.context.get("links", {}).get(document.pk)

    @extend_schema_field(PersonOutputSerializer(allow_null=True))
    def get_uploaded_by(self, document: MedicalDocument) -> dict[str, Any] | None:
        return _person(document.uploaded_by)


# --- consent ---------------------------------------------------------------------------------


# The stored statuses plus the computed `expired` (name it in ENUM_NAME_OVERRIDES).
CONSENT_STATUS_CHOICES = [*ConsentStatus.choices, ("expired", "Expired")]


def consent_status(consent: DocumentConsent) -> str:
    """The stored status, except a granted consent past `expires_at` reads as `expired`."""
    if consent.status == ConsentStatus.GRANTED and not is_consent_active(
        consent, now=timezone.now()
    ):
        return "expired"
    return consent.status


class RequestableDocumentOutputSerializer(serializers.ModelSerializer):
    """What a doctor may know before consent: that the document exists, never its contents."""

    appointment = serializers.IntegerField(source="appointment_id")
    patient = serializers.UUIDField(source="patient_id")
    patient_name = serializers.CharField(source="patient.name")
    consent_status = serializers.ChoiceField(
        source="latest_consent_status",
        choices=CONSENT_STATUS_CHOICES,
        allow_null=True,
        read_only=True,
        help_text="Your most recent consent request on this document (a granted one past "
        "its `expires_at` reads `expired`), or null if you never asked.",
    )

    class Meta:
        model = MedicalDocument
        fields = (
            "id",
            "title",
            "document_type",
            "created_at",
            "appointment",
            "patient",
            "patient_name",
            "consent_status",
        )


class ConsentRequestInputSerializer(serializers.Serializer):
    document = serializers.UUIDField()
    purpose = serializers.CharField(max_length=500)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class ConsentActionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(ACTION_TO_STATUS))
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Grant only: set or shorten the consent's end (never past the requested one).",
    )


class ConsentOutputSerializer(serializers.ModelSerializer):
    document = serializers.UUIDField(source="document_id")
    doctor = serializers.IntegerField(source="doctor_id", help_text="The doctor's profile id.")
    doctor_name = serializers.CharField(source="doctor.user.name")
    status = serializers.SerializerMethodField()

    class Meta:
        model = DocumentConsent
        fields = (
            "id",
            "document",
            "doctor",
            "doctor_name",
            "status",
            "purpose",
            "expires_at",
            "actioned_at",
            "created_at",
        )

    @extend_schema_field(serializers.ChoiceField(choices=CONSENT_STATUS_CHOICES))
    def get_status(self, consent: DocumentConsent) -> str:
        return consent_status(consent)


class ConsentPatientOutputSerializer(ConsentOutputSerializer):
    """The patient also sees which of their documents is asked for."""

    document_title = serializers.CharField(source="document.title")

    class Meta(ConsentOutputSerializer.Meta):
        fields = (*ConsentOutputSerializer.Meta.fields, "document_title")  # type: ignore[assignment]


# --- access log ------------------------------------------------------------------------------


class AccessLogOutputSerializer(serializers.ModelSerializer):
    document = serializers.UUIDField(source="document_id")
    accessed_by = serializers.SerializerMethodField()

    class Meta:
        model = DocumentAccessLog
        fields = (
            "id",
            "document",
            "action",
            "detail",
            "accessed_by",
            "accessed_at",
            "ip_address",
            "user_agent",
        )

    @extend_schema_field(PersonOutputSerializer(allow_null=True))
    def get_accessed_by(self, log: DocumentAccessLog) -> dict[str, Any] | None:
        return _person(log.actor)
