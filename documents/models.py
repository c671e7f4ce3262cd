"""Medical documents (patient-owned), per-document consent, and the append-only access log."""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from appointments.models import Appointment
from audit.models import AppendOnlyQuerySet, AuditCategory, AuditImmutable
from clinic.models import Clinic
from core.models import TimeStampedModel
from core.records import RecordsManager
from doctors.models import DoctorProfile
from users.models import PatientProfile
from users.selectors import fill_patient_pair


def _documents_storage():
    return storages["documents"]


class DocumentType(models.TextChoices):
    PRESCRIPTION = "prescription"
    LAB_REPORT = "lab_report"
    IMAGING = "imaging"
    DISCHARGE_SUMMARY = "discharge_summary"
    INSURANCE = "insurance"
    OTHER = "other"


class MedicalDocument(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The account that holds the profile (acts for it; moved on a transfer).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="medical_documents"
    )
    # Whose record this is: the holder's own profile or a dependent's.
    patient_profile = models.ForeignKey(
        PatientProfile, on_delete=models.PROTECT, related_name="medical_documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_role = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=200)
    document_type = models.CharField(max_length=30, choices=DocumentType.choices)
    description = models.TextField(blank=True)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    # Stored under a random name chosen by the service; never the uploaded file name.
    file = models.FileField(storage=_documents_storage, max_length=255)
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveBigIntegerField()
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # bulk writes end the cached private answers (core/records.py)
    objects = RecordsManager["MedicalDocument"]()

    class Meta:
        ordering = ("-created_at", "id")
        indexes = [models.Index(fields=["patient", "is_deleted"], name="doc_patient_deleted_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_patient_pair(self)
        super().save(*args, **kwargs)


class ConsentStatus(models.TextChoices):
    PENDING = "pending"
    GRANTED = "granted"
    REJECTED = "rejected"
    REVOKED = "revoked"


class DocumentConsent(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(MedicalDocument, on_delete=models.CASCADE, related_name="consents")
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="document_consents"
    )
    purpose = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.PENDING
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    actioned_at = models.DateTimeField(null=True, blank=True)
    # ABDM-shaped consent (documents.abdm): `purpose` stays the spec's field as sent.
    purpose_code = models.CharField(max_length=10, blank=True)
    purpose_text = models.CharField(max_length=500, blank=True)
    hi_types = models.JSONField(default=list, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    data_erase_at = models.DateTimeField(null=True, blank=True)
    artefact_issued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # bulk writes end the cached private answers (core/records.py)
    objects = RecordsManager["DocumentConsent"]()

    class Meta:
        ordering = ("-created_at", "id")
        indexes = [
            models.Index(fields=["doctor", "document", "status"], name="consent_doctor_doc_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "doctor"],
                condition=Q(status="pending"),
                name="one_open_consent_request_per_doctor_document",
            )
        ]

    def __str__(self) -> str:
        return f"Consent {self.status} for doctor {self.doctor_id} on {self.document_id}"


class AccessAction(models.TextChoices):
    VIEW = "view"
    LIST = "list"
    FILE_LINK = "file_link"
    DOWNLOAD = "download"
    UPLOAD = "upload"
    DELETE = "delete"
    DENIED = "denied"


class AccessLogQuerySet(AppendOnlyQuerySet):
    pass


class AccessLogManager(models.Manager["DocumentAccessLog"]):
    """Only the chain's access events (its other categories are not the access log's)."""

    def get_queryset(self) -> "models.QuerySet[DocumentAccessLog]":
        return AccessLogQuerySet(self.model, using=self._db).filter(category=AuditCategory.ACCESS)


class DocumentAccessLog(models.Model):
    """The access log, read from the audit chain: one source of truth.

    Unmanaged, over `audit.AuditEvent`'s table: its access events (category "access") read
    as the log rows the API has always served. Written only by `documents.audit` through
    `audit.services.audit_append`; nothing updates or deletes a row."""

    # PROTECT: hard-deleting a document must not silently orphan who saw it.
    document = models.ForeignKey(
        MedicalDocument,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="access_logs",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    detail = models.CharField(max_length=255, blank=True)
    accessed_at = models.DateTimeField(db_column="occurred_at")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    emergency = models.BooleanField(default=False)
    category = models.CharField(max_length=20, editable=False)  # always "access" here

    objects = AccessLogManager()

    class Meta:
        managed = False
        db_table = "audit_auditevent"
        ordering = ("-accessed_at", "-id")

    def __str__(self) -> str:
        return f"{self.action} {self.document_id} by {self.actor_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise AuditImmutable("The access log is written through documents.audit only.")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("The access log is append-only.")


class EmergencyReasonCode(models.TextChoices):
    UNCONSCIOUS = "unconscious"
    LIFE_THREATENING = "life_threatening"
    UNABLE_TO_CONSENT = "unable_to_consent"
    OTHER = "other"


class EmergencyReview(models.TextChoices):
    PENDING = "pending"
    JUSTIFIED = "justified"
    UNJUSTIFIED = "unjustified"


class EmergencyAccess(models.Model):
    """Break-glass: a doctor's time-boxed access to one patient's documents without consent,
    reviewed afterwards by the owner of the doctor's clinic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    patient = models.ForeignKey(  # the holder account, as on MedicalDocument
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    patient_profile = models.ForeignKey(
        PatientProfile, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, related_name="emergency_accesses"
    )
    reason_code = models.CharField(max_length=20, choices=EmergencyReasonCode.choices)
    reason = models.TextField()
    opened_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    review = models.CharField(
        max_length=12, choices=EmergencyReview.choices, default=EmergencyReview.PENDING
    )
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-opened_at", "id")
        indexes = [
            models.Index(fields=["doctor", "patient", "expires_at"], name="emergency_active_idx")
        ]

    def __str__(self) -> str:
        return f"Emergency access by {self.doctor_id} to {self.patient_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_patient_pair(self)
        super().save(*args, **kwargs)
