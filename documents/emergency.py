"""Break-glass: a doctor opens time-boxed access to a patient's documents without consent.

Opening is recorded on the patient's chain (category "emergency") in the same transaction and,
after commit, `documents.signals.emergency_access_opened` tells the patient (notifications
answers it). Every access in the window is marked `emergency` on the chain
(`documents.audit`). The owner of the doctor's clinic reviews each opening; a doctor with an
opening in the last `EMERGENCY_ACCESS_REVIEW_DAYS` still unreviewed or judged unjustified
cannot open another (`EMERGENCY_ACCESS_BLOCK_UNREVIEWED`, 409).
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditCategory
from audit.services import record as audit_record
from clinic.models import Clinic
from clinic.selectors import doctor_active_membership
from core.error_codes import ErrorCode
from core.exceptions import Conflict, NotFound, NotPermitted
from core.roles import RoleId
from documents.access import AccessContext
from documents.models import EmergencyAccess, EmergencyReview
from documents.selectors import doctor_profile_for
from documents.signals import emergency_access_opened
from users.models import DEPENDENT_RELATIONS, PatientProfile, Relation

PATIENT_NOT_FOUND = "No patient with this id or contact."
EMERGENCY_NOT_FOUND = "Emergency access not found."


def _patient(*, patient_id: uuid.UUID | None, patient_contact: str | None) -> PatientProfile:
    """The person: `patient` is a patient profile's id (an account's own profile has the
    account's id, so an account id still works; a dependent's id picks the dependent); a
    contact means the holder of that number themself (never a dependent: they share it)."""
    profiles = PatientProfile.objects.select_related("account").filter(
        Q(relation__in=DEPENDENT_RELATIONS)
        | Q(patient_enabled=True)
        | Q(account__role_id=RoleId.PATIENT),
        account__is_active=True,
    )
    found = (
        profiles.filter(pk=patient_id).first()
        if patient_id is not None
        else profiles.filter(account__contact=patient_contact, relation=Relation.SELF).first()
    )
    if found is None:
        raise NotFound(PATIENT_NOT_FOUND, code=ErrorCode.PATIENT_NOT_FOUND)
    return found


def _check_not_blocked(doctor: Any, now: dt.datetime) -> None:
    if not settings.EMERGENCY_ACCESS_BLOCK_UNREVIEWED:
        return
    since = now - dt.timedelta(days=int(settings.EMERGENCY_ACCESS_REVIEW_DAYS))
    if EmergencyAccess.objects.filter(
        doctor=doctor,
        opened_at__gte=since,
        review__in=(EmergencyReview.PENDING, EmergencyReview.UNJUSTIFIED),
    ).exists():
        raise Conflict(
            "An emergency access you opened in the last "
            f"{settings.EMERGENCY_ACCESS_REVIEW_DAYS} days is unreviewed or was judged "
            "unjustified; another cannot be opened until it is reviewed as justified.",
            code=ErrorCode.EMERGENCY_ACCESS_REVIEW_PENDING,
        )


def emergency_access_open(
    *,
    user: Any,
    ctx: AccessContext,
    reason_code: str,
    reason: str,
    patient_id: uuid.UUID | None = None,
    patient_contact: str | None = None,
) -> EmergencyAccess:
    doctor = doctor_profile_for(user=user)
    if doctor is None:
        raise NotPermitted("Only doctors with a profile can open emergency access.")
    profile = _patient(patient_id=patient_id, patient_contact=patient_contact)
    membership = doctor_active_membership(user_id=user.pk)
    now = timezone.now()
    with transaction.atomic():
        # One opening at a time per doctor: the block rule is checked under this lock.
        type(doctor).objects.select_for_update().filter(pk=doctor.pk).first()
        _check_not_blocked(doctor, now)
        access = EmergencyAccess.objects.create(
            doctor=doctor,
            patient_id=profile.account_id,
            patient_profile=profile,
            clinic=membership.clinic if membership is not None else None,
            reason_code=reason_code,
            reason=reason,
            opened_at=now,
            expires_at=now + dt.timedelta(hours=float(settings.EMERGENCY_ACCESS_HOURS)),
        )
        audit_record(
            patient_id=profile.pk,
            category=AuditCategory.EMERGENCY,
            action="opened",
            actor_id=user.pk,
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            emergency=True,
            data={
                "access": access.pk,
                "doctor": doctor.pk,
                "clinic": access.clinic_id,
                "reason_code": reason_code,
                "expires_at": access.expires_at,
            },
        )
        transaction.on_commit(
            lambda: emergency_access_opened.send(sender=EmergencyAccess, access=access)
        )
    return access


def emergency_access_of_doctor(*, user: Any, access_id: uuid.UUID) -> EmergencyAccess:
    access = (
        EmergencyAccess.objects.select_related("doctor__user")
        .filter(pk=access_id, doctor__user=user)
        .first()
    )
    if access is None:
        raise NotFound(EMERGENCY_NOT_FOUND, code=ErrorCode.EMERGENCY_ACCESS_NOT_FOUND)
    return access


def emergency_accesses_for_owner(*, user: Any, clinic_id: uuid.UUID) -> QuerySet[EmergencyAccess]:
    """The openings by doctors of a clinic the user owns; 404 for anyone else's clinic."""
    if not Clinic.objects.filter(pk=clinic_id, owner=user).exists():
        raise NotFound("Clinic not found.", code=ErrorCode.NOT_FOUND)
    return EmergencyAccess.objects.select_related("doctor__user", "patient").filter(
        clinic_id=clinic_id
    )


def emergency_access_review(
    *, user: Any, clinic_id: uuid.UUID, access_id: uuid.UUID, justified: bool, note: str = ""
) -> EmergencyAccess:
    with transaction.atomic():
        access = (
            emergency_accesses_for_owner(user=user, clinic_id=clinic_id)
            .select_for_update(of=("self",))
            .filter(pk=access_id)
            .first()
        )
        if access is None:
            raise NotFound(EMERGENCY_NOT_FOUND, code=ErrorCode.EMERGENCY_ACCESS_NOT_FOUND)
        access.review = EmergencyReview.JUSTIFIED if justified else EmergencyReview.UNJUSTIFIED
        access.review_note = note
        access.reviewed_by = user
        access.reviewed_at = timezone.now()
        access.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        audit_record(
            patient_id=access.patient_profile_id,
            category=AuditCategory.EMERGENCY,
            action="reviewed",
            actor_id=user.pk,
            data={"access": access.pk, "review": access.review},
        )
    return access
