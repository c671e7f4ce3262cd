"""Reads of doctor profiles, availability and leaves, each with its own joins.

Public visibility: a doctor is listed only while an active doctor member of an active clinic
(and their account is active); `clinics` shows that membership only. The public directory
itself is hand-written SQL in `public_queries` (the hot path); this module serves the rest.
"""

import uuid
from typing import Any, cast

from django.db.models import CharField, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from clinic.models import MemberRole, MemberStatus
from clinic.selectors import doctor_active_memberships
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from doctors.rows import PROFILE_KEYS, DoctorRow
from users.models import User

# The annotation joining a doctor profile to its user's one active doctor membership.
MEMBERSHIP = "doctor_membership"


def _with_membership(queryset: QuerySet[DoctorProfile]) -> QuerySet[DoctorProfile]:
    # The constraint doctor_active_in_one_clinic allows one active doctor membership per user,
    # so joining it adds at most one row per doctor: profile and clinic in one query.
    membership = FilteredRelation(
        "user__clinic_memberships",
        condition=Q(
            user__clinic_memberships__member_role=MemberRole.DOCTOR,
            user__clinic_memberships__status=MemberStatus.ACTIVE,
        ),
    )
    return queryset.annotate(**{MEMBERSHIP: membership})


def doctor_rows(queryset: QuerySet[DoctorProfile]) -> QuerySet[DoctorProfile, dict[str, Any]]:
    """`rows.DoctorRow`s (the keys and types of `public_queries`) for the serializer."""
    return queryset.values(
        *PROFILE_KEYS,
        user_name=F("user__name"),
        # Read the stored E.164 text; the model field would parse every number.
        user_contact=Cast("user__contact", CharField()),
        clinic_id=F(f"{MEMBERSHIP}__clinic_id"),
        clinic_name=F(f"{MEMBERSHIP}__clinic__name"),
        clinic_city=F(f"{MEMBERSHIP}__clinic__city"),
        clinic_is_active=F(f"{MEMBERSHIP}__clinic__is_active"),
        department=F(f"{MEMBERSHIP}__department"),
    )


def doctor_profile_row(*, profile_id: int) -> DoctorRow:
    """The doctor's own profile, with their clinic when they are active at an active one."""
    row = doctor_rows(_with_membership(DoctorProfile.objects.filter(pk=profile_id))).first()
    assert row is not None
    return cast(DoctorRow, row)


def doctor_get(*, doctor_id: int) -> DoctorProfile | None:
    return DoctorProfile.objects.select_related("user").filter(pk=doctor_id).first()


def doctor_exists(*, doctor_id: int) -> bool:
    return DoctorProfile.objects.filter(pk=doctor_id).exists()


def availability_public_list(
    *, doctor: DoctorProfile, clinic_id: uuid.UUID | None = None
) -> QuerySet[DoctorAvailability]:
    """Active windows at the active clinics where the doctor is an active member."""
    at_member_clinic = doctor_active_memberships().filter(
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
