"""Reads of doctor profiles, availability and leaves, each with its own joins.

Public visibility: a doctor is listed only while an active doctor member of an active clinic
(and their account is active); `clinics` shows those memberships only.
"""

import functools
import string
import uuid
from typing import Any

from django.db import connection
from django.db.models import CharField, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from clinic.models import Clinic, ClinicMember, MemberRole, MemberStatus
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from users.models import User

DOCTOR_PROFILE_FIELDS = (
    "id",
    "specialty",
    "qualification",
    "registration_number",
    "experience_years",
    "biography",
    "languages",
    "first_visit_fee",
    "follow_up_fee",
    "offers_video_consultation",
)

# The annotation joining a doctor profile to its user's one active doctor membership.
MEMBERSHIP = "doctor_membership"


def active_doctor_memberships() -> QuerySet[ClinicMember]:
    return ClinicMember.objects.filter(
        member_role=MemberRole.DOCTOR, status=MemberStatus.ACTIVE, clinic__is_active=True
    )


def _with_membership(queryset: QuerySet[DoctorProfile]) -> QuerySet[DoctorProfile]:
    # The constraint doctor_active_in_one_clinic allows one active doctor membership per user,
    # so joining it adds at most one row per doctor: list, count and clinics in one query.
    membership = FilteredRelation(
        "user__clinic_memberships",
        condition=Q(
            user__clinic_memberships__member_role=MemberRole.DOCTOR,
            user__clinic_memberships__status=MemberStatus.ACTIVE,
        ),
    )
    return queryset.annotate(**{MEMBERSHIP: membership})


def doctor_public_list() -> QuerySet[DoctorProfile]:
    """Publicly visible doctors (active doctor member of an active clinic), by name then id."""
    return (
        _with_membership(DoctorProfile.objects.all())
        .filter(user__is_active=True, **{f"{MEMBERSHIP}__clinic__is_active": True})
        .order_by("user__name", "id")
    )


def doctor_rows(queryset: QuerySet[DoctorProfile]) -> QuerySet[DoctorProfile, dict[str, Any]]:
    """Plain rows for `serializers.doctor_json` (no model instances: the list is hot)."""
    return queryset.values(
        *DOCTOR_PROFILE_FIELDS,
        "user_id",
        user_name=F("user__name"),
        # Read the stored E.164 text; the model field would parse every number.
        user_contact=Cast("user__contact", CharField()),
        clinic_id=F(f"{MEMBERSHIP}__clinic_id"),
        clinic_name=F(f"{MEMBERSHIP}__clinic__name"),
        clinic_city=F(f"{MEMBERSHIP}__clinic__city"),
        clinic_is_active=F(f"{MEMBERSHIP}__clinic__is_active"),
        department=F(f"{MEMBERSHIP}__department"),
    )


@functools.cache
def _public_rows_template() -> QuerySet[DoctorProfile, dict[str, Any]]:
    # Built once per process (never evaluated itself; callers get clones): composing the
    # joins and columns costs more than running the query.
    return doctor_rows(doctor_public_list())


def doctor_public_rows() -> QuerySet[DoctorProfile, dict[str, Any]]:
    """Rows of publicly visible doctors, by name then id (see `doctor_rows`)."""
    return _public_rows_template().all()


def doctor_public_get(*, doctor_id: int) -> dict[str, Any] | None:
    return doctor_public_rows().filter(pk=doctor_id).first()


def doctor_profile_row(*, profile_id: int) -> dict[str, Any]:
    """The doctor's own profile, with their clinic when they are active at an active one."""
    row = doctor_rows(_with_membership(DoctorProfile.objects.filter(pk=profile_id))).first()
    assert row is not None
    return row


def doctor_get(*, doctor_id: int) -> DoctorProfile | None:
    return DoctorProfile.objects.select_related("user").filter(pk=doctor_id).first()


# Hand-written for the slot listing and booking paths (see doctors.slots): the clinic where
# the doctor is an active doctor member, the given one or their earliest. Table names come from
# model metadata; every value is a bound parameter.
_SLOT_CLINIC_SQL = string.Template(
    "SELECT c.* FROM $clinic c"
    " JOIN $member m ON m.clinic_id = c.id"
    " JOIN $user u ON u.id = m.user_id"
    " JOIN $profile p ON p.user_id = u.id"
    " WHERE p.id = %s AND m.member_role = %s AND m.status = %s AND c.is_active AND u.is_active"
    " $clinic_filter ORDER BY m.joined_at, m.created_at LIMIT 1"
)


@functools.cache
def _slot_clinic_sql(with_clinic: bool) -> str:
    return _SLOT_CLINIC_SQL.substitute(
        clinic=Clinic._meta.db_table,
        member=ClinicMember._meta.db_table,
        user=User._meta.db_table,
        profile=DoctorProfile._meta.db_table,
        clinic_filter="AND c.id = %s" if with_clinic else "",
    )


def doctor_slot_clinic(*, doctor_id: int, clinic_id: uuid.UUID | None) -> Clinic | None:
    """The active clinic where the doctor is an active doctor: the given one, or theirs."""
    params: list[Any] = [doctor_id, MemberRole.DOCTOR.value, MemberStatus.ACTIVE.value]
    if clinic_id is not None:
        params.append(Clinic._meta.pk.get_db_prep_value(clinic_id, connection))
    query = Clinic.objects.raw(_slot_clinic_sql(clinic_id is not None), params)
    return next(iter(query), None)


def doctor_exists(*, doctor_id: int) -> bool:
    return DoctorProfile.objects.filter(pk=doctor_id).exists()


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
