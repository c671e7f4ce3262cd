"""Clinic reads, scoped to the requesting user, with their own joins and annotations."""

import uuid
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clinic.models import (
    AdmissionDocument,
    Clinic,
    ClinicMember,
    ClinicTimeSlot,
    MemberRole,
    MemberStatus,
)
from clinic.policies import can_manage_clinic, can_view_clinic
from core.error_codes import ErrorCode
from core.exceptions import NotFound, NotPermitted

CLINIC_NOT_FOUND = "Clinic not found."

# --- the doctor's active clinic ------------------------------------------------------------
# One rule, written twice on purpose: the ORM reading below, and its SQL twin for the two
# hand-written hot statements (the slot inputs and the public doctor directory). The test
# `clinic/tests/test_doctor_active_membership.py` runs both over the same rows.

DOCTOR_ACTIVE_MEMBERSHIP_SQL = (
    "m.member_role = %s AND m.status = %s AND c.is_active AND u.is_active"
)
"""The SQL twin of `doctor_active_memberships`: a WHERE condition over the aliases `m` (the
clinic member row), `c` (its clinic: c.id = m.clinic_id) and `u` (its user: u.id = m.user_id),
bound with `DOCTOR_ACTIVE_MEMBERSHIP_PARAMS` in this order."""
DOCTOR_ACTIVE_MEMBERSHIP_PARAMS: tuple[str, str] = (
    MemberRole.DOCTOR.value,
    MemberStatus.ACTIVE.value,
)


def doctor_active_memberships(*, practising: bool = True) -> QuerySet[ClinicMember]:
    """Doctors' active memberships: an active doctor member of an active clinic, whose
    account is active (a doctor has at most one: constraint doctor_active_in_one_clinic).
    `practising=False` drops the clinic and account conditions: the membership as that
    constraint counts it, for the one-clinic check before adding a doctor."""
    queryset = ClinicMember.objects.filter(
        member_role=MemberRole.DOCTOR, status=MemberStatus.ACTIVE
    )
    if practising:
        queryset = queryset.filter(clinic__is_active=True, user__is_active=True)
    return queryset


def doctor_active_membership(
    *, user_id: uuid.UUID, clinic_id: uuid.UUID | None = None, practising: bool = True
) -> ClinicMember | None:
    """The doctor's active membership with its clinic (only at `clinic_id` when given), or
    None. See `doctor_active_memberships` for the rule and `practising`."""
    queryset = doctor_active_memberships(practising=practising).filter(user_id=user_id)
    if clinic_id is not None:
        queryset = queryset.filter(clinic_id=clinic_id)
    return queryset.select_related("clinic").first()


def _active_members(*roles: str) -> Coalesce:
    """The clinic's active members (of these roles, if given), as a correlated subquery."""
    members = ClinicMember.objects.filter(clinic=OuterRef("pk"), status=MemberStatus.ACTIVE)
    if roles:
        members = members.filter(member_role__in=roles)
    counted = members.order_by().values("clinic").annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted), 0)


def _with_counts(queryset: QuerySet[Clinic]) -> QuerySet[Clinic]:
    """Counts of active members, in the same query as the clinics (no N+1). Subqueries per
    clinic row, not a join and GROUP BY: a page then reads only its own clinics' members
    (the list walks `clinic_active_name_idx` and stops after LIMIT rows)."""
    return queryset.annotate(
        member_count=_active_members(),
        doctor_count=_active_members(MemberRole.DOCTOR),
        staff_count=_active_members(MemberRole.RECEPTIONIST, MemberRole.LAB_MEMBER),
    )


def clinic_public_list() -> QuerySet[Clinic]:
    return _with_counts(Clinic.objects.filter(is_active=True)).order_by("name", "id")


def clinic_list_for_owner(*, owner: Any) -> QuerySet[Clinic]:
    """All of the owner's clinics, the soft-deleted ones included (so they can be restored)."""
    return _with_counts(Clinic.objects.filter(owner_id=owner.pk)).order_by("name", "id")


def clinic_get_visible(*, user: Any, clinic_id: uuid.UUID, counts: bool = False) -> Clinic:
    """An active clinic, or the requesting owner's inactive one; 404 otherwise."""
    queryset = Clinic.objects.filter(pk=clinic_id)
    clinic = (_with_counts(queryset) if counts else queryset).first()
    if clinic is None or not can_view_clinic(user=user, clinic=clinic):
        raise NotFound(CLINIC_NOT_FOUND, code=ErrorCode.CLINIC_NOT_FOUND)
    return clinic


def clinic_get_for_management(*, user: Any, clinic_id: uuid.UUID, counts: bool = False) -> Clinic:
    """The clinic if the user owns it: 404 when invisible to them, 403 when someone else's."""
    clinic = clinic_get_visible(user=user, clinic_id=clinic_id, counts=counts)
    if not can_manage_clinic(user=user, clinic=clinic):
        raise NotPermitted(
            "Only the owner of this clinic can do this.", code=ErrorCode.NOT_CLINIC_OWNER
        )
    return clinic


def clinic_member_list(*, clinic: Clinic) -> QuerySet[ClinicMember]:
    return (
        ClinicMember.objects.filter(clinic=clinic)
        .select_related("user")
        .order_by("joined_at", "created_at", "id")
    )


def clinic_member_get(*, clinic: Clinic, member_id: uuid.UUID) -> ClinicMember:
    member = clinic_member_list(clinic=clinic).filter(pk=member_id).first()
    if member is None:
        raise NotFound("Member not found.", code=ErrorCode.MEMBER_NOT_FOUND)
    return member


def membership_list_for(*, user: Any) -> QuerySet[ClinicMember]:
    """A staff member's own memberships (active and past), newest first."""
    return (
        ClinicMember.objects.filter(user_id=user.pk)
        .select_related("clinic")
        .order_by("-joined_at", "-created_at", "id")
    )


def time_slot_list(*, user: Any, clinic: Clinic) -> QuerySet[ClinicTimeSlot]:
    """Active windows for everyone; the owner also sees deactivated ones (to restore them)."""
    queryset = ClinicTimeSlot.objects.filter(clinic=clinic)
    if not can_manage_clinic(user=user, clinic=clinic):
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("day_of_week", "start_time", "id")


def time_slot_get(*, user: Any, clinic: Clinic, slot_id: int) -> ClinicTimeSlot:
    slot = time_slot_list(user=user, clinic=clinic).filter(pk=slot_id).first()
    if slot is None:
        raise NotFound("Time slot not found.", code=ErrorCode.TIME_SLOT_NOT_FOUND)
    return slot


def admission_document_list(*, clinic: Clinic) -> QuerySet[AdmissionDocument]:
    return AdmissionDocument.objects.filter(clinic=clinic).order_by("display_order", "id")


def admission_document_get(*, clinic: Clinic, doc_id: int) -> AdmissionDocument:
    document = admission_document_list(clinic=clinic).filter(pk=doc_id).first()
    if document is None:
        raise NotFound("Admission document not found.", code=ErrorCode.ADMISSION_DOCUMENT_NOT_FOUND)
    return document
