"""Reads of doctor profiles, availability and leaves, each with its own joins and prefetches.

Public visibility: a doctor is listed only while an active doctor member of an active clinic
(and their account is active); `clinics` shows those memberships only.
"""

import uuid

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from clinic.models import Clinic, ClinicMember, MemberRole, MemberStatus
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from users.models import User

ACTIVE_MEMBERSHIPS_ATTR = "active_doctor_memberships"


def active_doctor_memberships() -> QuerySet[ClinicMember]:
    return ClinicMember.objects.filter(
        member_role=MemberRole.DOCTOR, status=MemberStatus.ACTIVE, clinic__is_active=True
    )


def _with_clinics(queryset: QuerySet[DoctorProfile]) -> QuerySet[DoctorProfile]:
    memberships = (
        active_doctor_memberships().select_related("clinic").order_by("joined_at", "created_at")
    )
    return queryset.select_related("user").prefetch_related(
        Prefetch("user__clinic_memberships", queryset=memberships, to_attr=ACTIVE_MEMBERSHIPS_ATTR)
    )


def doctor_public_list() -> QuerySet[DoctorProfile]:
    """Publicly visible doctors, by name then id; three queries per page whatever its size."""
    visible = Exists(active_doctor_memberships().filter(user_id=OuterRef("user_id")))
    queryset = DoctorProfile.objects.filter(visible, user__is_active=True)
    return _with_clinics(queryset).order_by("user__name", "id")


def doctor_public_get(*, doctor_id: int) -> DoctorProfile | None:
    return doctor_public_list().filter(pk=doctor_id).first()


def doctor_profile_with_clinics(*, profile_id: int) -> DoctorProfile:
    return _with_clinics(DoctorProfile.objects.all()).get(pk=profile_id)


def doctor_get(*, doctor_id: int) -> DoctorProfile | None:
    return DoctorProfile.objects.select_related("user").filter(pk=doctor_id).first()


def doctor_slot_target(
    *, doctor_id: int, clinic_id: uuid.UUID | None
) -> tuple[DoctorProfile | None, Clinic | None]:
    """The doctor and the clinic to list slots at, in one query when both exist."""
    memberships = active_doctor_memberships().filter(
        user__doctor_profile__id=doctor_id, user__is_active=True
    )
    if clinic_id is not None:
        memberships = memberships.filter(clinic_id=clinic_id)
    membership = (
        memberships.select_related("clinic", "user__doctor_profile")
        .order_by("joined_at", "created_at")
        .first()
    )
    if membership is None:
        return doctor_get(doctor_id=doctor_id), None
    return membership.user.doctor_profile, membership.clinic


def is_active_doctor_member(*, doctor: DoctorProfile, clinic_id: uuid.UUID) -> bool:
    return active_doctor_memberships().filter(user_id=doctor.user_id, clinic_id=clinic_id).exists()


def availability_public_list(
    *, doctor: DoctorProfile, clinic_id: uuid.UUID | None = None
) -> QuerySet[DoctorAvailability]:
    """Active windows at the active clinics where the doctor is an active member."""
    at_member_clinic = active_doctor_memberships().filter(
        user_id=doctor.user_id, clinic_id=OuterRef("clinic_id")
    )
    queryset = DoctorAvailability.objects.filter(
        Exists(at_member_clinic), doctor=doctor, is_active=True
    )
    if clinic_id is not None:
        queryset = queryset.filter(clinic_id=clinic_id)
    return queryset.select_related("clinic").order_by("day_of_week", "start_time", "id")


def availability_get_for(
    *, doctor: DoctorProfile, availability_id: int
) -> DoctorAvailability | None:
    return (
        DoctorAvailability.objects.select_related("clinic")
        .filter(doctor=doctor, pk=availability_id)
        .first()
    )


def leave_list_for(*, user: User) -> QuerySet[DoctorLeave]:
    return (
        DoctorLeave.objects.filter(doctor__user=user)
        .select_related("clinic")
        .order_by("start_date", "id")
    )


def leave_get_for(*, user: User, leave_id: int) -> DoctorLeave | None:
    return leave_list_for(user=user).filter(pk=leave_id).first()
