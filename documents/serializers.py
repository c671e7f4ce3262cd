"""Input and output shapes (rules live in services.py)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import Unchangeable, UnchangeableFieldsMixin
from documents.abdm import HIType, PurposeCode, signed_artefact
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
    patient_name = serializers.CharField(source="patient_profile.name")
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
    patient_name = serializers.CharField(source="patient_profile.name")
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


class DateRangeSerializer(serializers.Serializer):
    # "from" is a keyword: declared below under its wire name.
    to = serializers.DateField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before `from`."]})
        return attrs


HI_TYPES_FIELD_HELP = "ABDM health-information types the consent covers."


class ConsentRequestInputSerializer(serializers.Serializer):
    document = serializers.UUIDField()
    purpose = serializers.CharField(
        max_length=500,
        help_text="An ABDM purpose code (CAREMGT, BTG, PUBHLTH, HPAYMT, DSRCH, PATRQT) or free "
        "text.",
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    hi_types = serializers.ListField(
        child=serializers.ChoiceField(choices=HIType.choices),
        required=False,
        max_length=len(HIType.choices),
        help_text=HI_TYPES_FIELD_HELP,
    )
    date_range = DateRangeSerializer(
        required=False, help_text="The period of records the consent covers."
    )
    data_erase_at = serializers.DateTimeField(required=False, allow_null=True)


class ConsentActionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(ACTION_TO_STATUS))
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Grant only: set or shorten the consent's end (never past the requested one).",
    )
    hi_types = serializers.ListField(
        child=serializers.ChoiceField(choices=HIType.choices),
        required=False,
        max_length=len(HIType.choices),
        help_text="Grant only: narrow the requested hi_types.",
    )


class ConsentOutputSerializer(serializers.ModelSerializer):
    document = serializers.UUIDField(source="document_id")
    doctor = serializers.IntegerField(source="doctor_id", help_text="The doctor's profile id.")
    doctor_name = serializers.CharField(source="doctor.user.name")
    status = serializers.SerializerMethodField()
    purpose_code = serializers.ChoiceField(
        choices=[("", ""), *PurposeCode.choices], help_text="The ABDM code, or empty."
    )
    hi_types = serializers.ListField(child=serializers.CharField())
    date_range = serializers.SerializerMethodField()
    artefact = serializers.SerializerMethodField()

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
            "purpose_code",
            "purpose_text",
            "hi_types",
            "date_range",
            "data_erase_at",
            "revoked_at",
            "artefact",
        )

    @extend_schema_field(serializers.ChoiceField(choices=CONSENT_STATUS_CHOICES))
    def get_status(self, consent: DocumentConsent) -> str:
        return consent_status(consent)

    @extend_schema_field(DateRangeSerializer(allow_null=True))
    def get_date_range(self, consent: DocumentConsent) -> dict[str, Any] | None:
        if consent.date_from is None or consent.date_to is None:
            return None
        return {"from": consent.date_from.isoformat(), "to": consent.date_to.isoformat()}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_artefact(self, consent: DocumentConsent) -> str | None:
        """The signed artefact's URL, once granted."""
        if consent.artefact_issued_at is None:
            return None
        path = reverse("documents:consent-artefact", kwargs={"consent_id": consent.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ConsentPatientOutputSerializer(ConsentOutputSerializer):
    """The patient also sees which of their documents is asked for."""

    document_title = serializers.CharField(source="document.title")

    class Meta(ConsentOutputSerializer.Meta):
        fields = (*ConsentOutputSerializer.Meta.fields, "document_title")  # type: ignore[assignment]


class ConsentGivenOutputSerializer(ConsentPatientOutputSerializer):
    """A consent I gave, with its signed artefact inline."""

    signed_artefact = serializers.SerializerMethodField()

    class Meta(ConsentPatientOutputSerializer.Meta):
        fields = (*ConsentPatientOutputSerializer.Meta.fields, "signed_artefact")  # type: ignore[assignment]

    @extend_schema_field(serializers.DictField())
    def get_signed_artefact(self, consent: DocumentConsent) -> dict[str, Any]:
        return signed_artefact(consent)


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
