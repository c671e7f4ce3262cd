"""Object rules for documents and consent, as named predicates (unit-tested alone).

A "care relationship" is an appointment that was not cancelled: clinic doctors and lab members
may upload into the record of a patient with such an appointment at their clinic. Consent
requests need none: any doctor may ask for any live document whose id they know, and the
patient decides.
"""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus
from clinic.models import ClinicMember, MemberStatus
from core.response_cache import Namespace, cached_value
from core.roles import RoleId
from doctors.models import DoctorProfile
from documents.models import ConsentStatus, DocumentConsent, EmergencyAccess, MedicalDocument
from users.acting import acts_as_patient, self_profile_id
from users.models import PatientProfile

UPLOADER_ROLES = frozenset({RoleId.PATIENT, RoleId.DOCTOR, RoleId.LAB_MEMBER})


def active_consent_q(*, now: dt.datetime, prefix: str = "") -> Q:
    """Granted and not past `expires_at`: the only state that opens a document to a doctor."""
    return Q(**{f"{prefix}status": ConsentStatus.GRANTED}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


def is_consent_active(consent: DocumentConsent, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return consent.status == ConsentStatus.GRANTED and (
        consent.expires_at is None or consent.expires_at > now
    )


def is_document_owner(*, user: Any, document: MedicalDocument) -> bool:
    """The account that holds the document's profile, acting as a patient (its own record or
    a dependent's: the holder acts for each)."""
    return bool(
        acts_as_patient(user) and document.patient_id == user.pk and not document.is_deleted
    )


def active_emergency_q(*, now: dt.datetime, prefix: str = "") -> Q:
    """A break-glass access still inside its window."""
    return Q(**{f"{prefix}opened_at__lte": now, f"{prefix}expires_at__gt": now})


def doctor_profile_id(*, user: Any) -> int | None:
    """The doctor profile of this account, by id, for the reach's statements to name.

    Why not `doctor__user=user`: PostgreSQL then plans for the average doctor's consents and
    break-glass rows, not this doctor's. With one emergency doctor holding 2,000 accesses of a
    clinic's 40 patients, every other doctor's list was planned as reaching all their
    documents and walked the documents table (`tests/test_reach_plan.py`); by the id it reads
    this doctor's own statistics. Kept under the directory's version, which every profile
    save and delete bumps (`doctors/cache_receivers.py`)."""
    return cached_value(
        "doctor-profile-id",
        [user.pk],
        [Namespace.DIRECTORY],
        lambda: DoctorProfile.objects.filter(user=user).values_list("pk", flat=True).first(),
    )


def emergency_patient_ids(*, user: Any, now: dt.datetime) -> Any:
    """The patient profiles whose documents this doctor reaches through an open emergency
    access (one person, never the rest of the family sharing the holder's account)."""
    return EmergencyAccess.objects.filter(
        active_emergency_q(now=now), doctor_id=doctor_profile_id(user=user)
    ).values("patient_profile_id")


def doctor_reach_q(*, user: Any, now: dt.datetime) -> Q:
    """Documents a doctor may see: an active consent on the document, or an open emergency
    access to its patient. The one rule; the list and the single read both use it.

    One `id IN (consented ids UNION ids of the emergency patients' documents)`: the planner
    reads the few reached documents by key. `EXISTS(consent) OR profile IN (...)` made it
    walk every document in the table (at the bench's 10x data the doctor's list cost 101 ms
    of database CPU per request, `make bench --scale 10`)."""
    consented = DocumentConsent.objects.filter(
        active_consent_q(now=now), doctor_id=doctor_profile_id(user=user)
    )
    emergency = MedicalDocument.objects.filter(
        patient_profile_id__in=emergency_patient_ids(user=user, now=now)
    )
    reached = consented.values("document_id").union(emergency.values("id"))
    return Q(pk__in=reached)


def can_view_document(
    *, user: Any, document: MedicalDocument, now: dt.datetime | None = None
) -> bool:
    """The owner patient, or a doctor holding an active consent on this very document."""
    if not user.is_authenticated or not user.is_active or document.is_deleted:
        return False
    if acts_as_patient(user):
        return bool(document.patient_id == user.pk)
    if document.patient_id == user.pk and user.can_act_as_patient():
        return True  # staff who are patients open their own (e.g. a link minted for them)
    if user.role_id != RoleId.DOCTOR:
        return False
    now = now or timezone.now()
    return MedicalDocument.objects.filter(
        doctor_reach_q(user=user, now=now), pk=document.pk
    ).exists()


def can_delete_document(*, user: Any, document: MedicalDocument) -> bool:
    return is_document_owner(user=user, document=document)


def can_read_access_log(*, user: Any, document: MedicalDocument) -> bool:
    """Only the owner; a deleted document's history stays readable to them."""
    return bool(acts_as_patient(user) and document.patient_id == user.pk)


def _care_appointments(*, profile_id: Any) -> Any:
    return Appointment.objects.filter(patient_profile_id=profile_id).exclude(
        status=AppointmentStatus.CANCELLED
    )


def _person(patient: Any) -> tuple[Any, Any]:
    """(holder account, profile id) of a patient profile, or of an account (its own)."""
    if isinstance(patient, PatientProfile):
        return patient.account, patient.pk
    return patient, self_profile_id(patient)


def can_upload_for_patient(*, user: Any, patient: Any) -> bool:
    """A doctor or lab member, active at a clinic where the person (a patient profile, or an
    account meaning its own) has an appointment."""
    if user.role_id not in (RoleId.DOCTOR, RoleId.LAB_MEMBER):
        return False
    account, profile_id = _person(patient)
    if not account.is_active:
        return False
    clinic_ids = ClinicMember.objects.filter(user=user, status=MemberStatus.ACTIVE).values(
        "clinic_id"
    )
    return bool(_care_appointments(profile_id=profile_id).filter(clinic_id__in=clinic_ids).exists())


def can_attach_appointment(*, user: Any, patient: Any, appointment: Appointment) -> bool:
    """The appointment must be the person's (profile's); staff may only attach one at their
    clinic."""
    if appointment.patient_profile_id != _person(patient)[1]:
        return False
    if acts_as_patient(user):
        return True
    return bool(
        ClinicMember.objects.filter(
            user=user, status=MemberStatus.ACTIVE, clinic_id=appointment.clinic_id
        ).exists()
    )


def can_request_consent(*, doctor: DoctorProfile, document: MedicalDocument) -> bool:
    """Any doctor, any live document: the id came from the patient, a referral or a walk-in,
    and the spec has no care-relationship rule. Asking reveals nothing; the patient decides."""
    return not document.is_deleted


def can_action_consent(*, user: Any, consent: DocumentConsent) -> bool:
    return is_document_owner(user=user, document=consent.document)


def can_read_consent_artefact(*, user: Any, consent: DocumentConsent) -> bool:
    """The patient who granted it, or the doctor it was granted to."""
    if not user.is_authenticated:
        return False
    if acts_as_patient(user):
        return bool(consent.document.patient_id == user.pk)
    return bool(user.role_id == RoleId.DOCTOR and consent.doctor.user_id == user.pk)
