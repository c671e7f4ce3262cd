"""Reads, always scoped to the requesting user: a list can never leak another patient's rows."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import (
    Case,
    CharField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from appointments.models import AppointmentStatus
from core.error_codes import ErrorCode
from core.exceptions import NotFound
from core.roles import RoleId
from doctors.models import DoctorProfile
from documents.models import ConsentStatus, DocumentAccessLog, DocumentConsent, MedicalDocument
from documents.policies import can_read_consent_artefact, doctor_reach_q
from users.acting import acts_as_patient, patient_scope_q

DOCUMENT_NOT_FOUND = "Document not found."
CONSENT_NOT_FOUND = "Consent request not found."


def _role(user: Any) -> int | None:
    return getattr(user, "role_id", None) if user.is_authenticated else None


def doctor_profile_for(*, user: Any) -> DoctorProfile | None:
    if _role(user) != RoleId.DOCTOR:
        return None
    return DoctorProfile.objects.select_related("user").filter(user=user).first()


def _documents() -> QuerySet[MedicalDocument]:
    return MedicalDocument.objects.select_related(
        "patient", "patient_profile", "uploaded_by"
    ).filter(is_deleted=False)


def lists_as_doctor(*, user: Any) -> bool:
    """The document list shows this user what consent and break-glass reach (a doctor not
    acting as a patient), not a record of their own."""
    return not acts_as_patient(user) and _role(user) == RoleId.DOCTOR


def document_list_for(*, user: Any, now: dt.datetime | None = None) -> QuerySet[MedicalDocument]:
    """A patient's own documents; for a doctor, those with an active consent to them (or an
    open emergency access to their patient: `documents.policies.doctor_reach_q`)."""
    if acts_as_patient(user):  # the profile acted for: its own, or `?patient_profile=`
        return _documents().filter(patient_scope_q(user))
    if lists_as_doctor(user=user):
        return _documents().filter(doctor_reach_q(user=user, now=now or timezone.now()))
    return MedicalDocument.objects.none()


def documents_held_by(*, user: Any) -> QuerySet[MedicalDocument]:
    """Every live document of every profile the account holds (exports, FHIR)."""
    return _documents().filter(patient=user)


EXPIRED = "expired"
# Loaded for the requestable list: never the description, the file or the patient's secrets.
REQUESTABLE_FIELDS = (
    "id",
    "title",
    "document_type",
    "created_at",
    "appointment_id",
    "patient_id",
    "patient_profile__name",
)


def requestable_documents_for(
    *, user: Any, now: dt.datetime | None = None
) -> QuerySet[MedicalDocument]:
    """Documents a doctor is likely to ask consent for, for listing titles only (never contents).

    Those the patient's record attached to a not-cancelled appointment with this very doctor,
    not deleted; each annotated with `latest_consent_status`: the status of this doctor's most
    recent consent on it (a granted one past `expires_at` reads "expired"), or None.
    A discovery aid only: a consent request may name any live document. Newest first, then id.
    """
    if _role(user) != RoleId.DOCTOR:
        return MedicalDocument.objects.none()
    now = now or timezone.now()
    latest_consent = (
        DocumentConsent.objects.filter(document=OuterRef("pk"), doctor__user=user)
        .order_by("-created_at", "-id")
        .annotate(
            effective_status=Case(
                When(
                    Q(status=ConsentStatus.GRANTED, expires_at__lte=now),
                    then=Value(EXPIRED),
                ),
                default=F("status"),
                output_field=CharField(),
            )
        )
        .values("effective_status")[:1]
    )
    return (
        MedicalDocument.objects.select_related("patient_profile")
        .filter(is_deleted=False, appointment__doctor__user=user)
        .exclude(appointment__status=AppointmentStatus.CANCELLED)
        .annotate(latest_consent_status=Subquery(latest_consent, output_field=CharField()))
        .only(*REQUESTABLE_FIELDS)
        .order_by("-created_at", "id")
    )


def document_get_for(*, user: Any, document_id: uuid.UUID) -> MedicalDocument:
    document = document_list_for(user=user).filter(pk=document_id).first()
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)
    return document


def document_owned_by(*, user: Any, document_id: uuid.UUID) -> MedicalDocument:
    """A document the account holds (its own or a dependent's), deleted or not (for its
    access log)."""
    document = (
        MedicalDocument.objects.filter(pk=document_id, patient=user).first()
        if acts_as_patient(user)
        else None
    )
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)
    return document


def _consents() -> QuerySet[DocumentConsent]:
    return DocumentConsent.objects.select_related("doctor__user", "document").filter(
        document__is_deleted=False
    )


def consent_list_for_patient(*, user: Any) -> QuerySet[DocumentConsent]:
    """Requests on the documents of the profile acted for (the list)."""
    if not acts_as_patient(user):
        return DocumentConsent.objects.none()
    return _consents().filter(patient_scope_q(user, prefix="document__"))


def next_consent_expiry(*, user: Any) -> float | None:
    """When the next consent of the list's scope lapses (epoch seconds), or None: its status
    reads "expired" from then on, without a write."""
    upcoming = consent_list_for_patient(user=user).filter(expires_at__gt=timezone.now())
    moment = upcoming.aggregate(first=Min("expires_at"))["first"]
    return moment.timestamp() if moment is not None else None


def consent_held_by(*, user: Any) -> QuerySet[DocumentConsent]:
    """Requests on any document the account holds (one consent, reached by its id)."""
    if not acts_as_patient(user):
        return DocumentConsent.objects.none()
    return _consents().filter(document__patient=user)


def consent_list_for_doctor(*, user: Any) -> QuerySet[DocumentConsent]:
    if _role(user) != RoleId.DOCTOR:
        return DocumentConsent.objects.none()
    return _consents().filter(doctor__user=user)


def consent_get_for_patient(*, user: Any, consent_id: uuid.UUID) -> DocumentConsent:
    consent = consent_held_by(user=user).filter(pk=consent_id).first()
    if consent is None:
        raise NotFound(CONSENT_NOT_FOUND, code=ErrorCode.CONSENT_NOT_FOUND)
    return consent


def consent_artefact_for(*, user: Any, consent_id: uuid.UUID) -> DocumentConsent:
    """A granted (at some point) consent, for its patient or its doctor; 404 for anyone else."""
    consent = (
        DocumentConsent.objects.select_related("doctor__user", "document")
        .filter(pk=consent_id, artefact_issued_at__isnull=False)
        .first()
    )
    if consent is None or not can_read_consent_artefact(user=user, consent=consent):
        raise NotFound(CONSENT_NOT_FOUND, code=ErrorCode.CONSENT_NOT_FOUND)
    return consent


def consents_given_by(*, user: Any) -> QuerySet[DocumentConsent]:
    """Every consent the patient granted, across doctors (revoked and expired ones too)."""
    if not acts_as_patient(user):
        return DocumentConsent.objects.none()
    return DocumentConsent.objects.select_related("doctor__user", "document").filter(
        patient_scope_q(user, prefix="document__"), artefact_issued_at__isnull=False
    )


def access_log_list_for(
    *, user: Any, document: MedicalDocument | None = None
) -> QuerySet[DocumentAccessLog]:
    """Entries on the patient's documents (deleted ones included: the history stays)."""
    if not acts_as_patient(user):
        return DocumentAccessLog.objects.none()
    logs = DocumentAccessLog.objects.select_related("actor")
    if document is not None:  # one document the account holds (document_owned_by)
        return logs.filter(document__patient=user, document=document)
    return logs.filter(patient_scope_q(user, prefix="document__"))
