"""Writes of doctor profiles, weekly availability and leaves, with their rules.

Availability and leave writes lock the doctor's profile row first, so two concurrent requests
of one doctor cannot both pass the overlap check.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clinic.models import Clinic, DayOfWeek
from clinic.rules import clinic_today
from clinic.selectors import doctor_active_membership
from clinic.signals import send_required
from clinic.windows import check_window, overlapping
from core.error_codes import ErrorCode
from core.exceptions import Conflict, NotPermitted
from core.services import model_update
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from doctors.signals import leave_created, leave_removed, leave_touching_bookings
from users.models import User

DAY_NAMES: tuple[str, ...] = tuple(day.name.lower() for day in DayOfWeek)

# What only the doctor sees (GET /api/doctors/me/), never the public directory.
OWN_SETTINGS = frozenset({"allow_overbooking"})
PROFILE_FIELDS = (
    frozenset(
        {
            "specialty",
            "qualification",
            "registration_number",
            "experience_years",
            "biography",
            "languages",
            "first_visit_fee",
            "follow_up_fee",
            "offers_video_consultation",
        }
    )
    | OWN_SETTINGS
)


def doctor_profile_get_or_create(*, user: User) -> DoctorProfile:
    """A doctor's profile; normally created when a clinic adds them, created here otherwise."""
    profile, _ = DoctorProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def doctor_profile_update(*, profile: DoctorProfile, changes: dict[str, Any]) -> DoctorProfile:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for fee in ("first_visit_fee", "follow_up_fee"):
        value = changes.get(fee)
        if value is not None and Decimal(value) < 0:
            raise ValidationError({fee: ["A fee cannot be negative."]})
    model_update(instance=profile, fields=PROFILE_FIELDS, data=changes)
    return profile


# --- weekly availability ---------------------------------------------------------------


@dataclass(frozen=True)
class WindowSpec:
    clinic_id: uuid.UUID
    day_of_week: int
    start_time: dt.time
    end_time: dt.time
    slot_duration_minutes: int
    max_patients: int
    is_active: bool = True


def _check_window(spec: WindowSpec) -> None:
    check_window(start=spec.start_time, end=spec.end_time, duration=spec.slot_duration_minutes)


def _lock_doctor(doctor: DoctorProfile) -> None:
    DoctorProfile.objects.select_for_update().filter(pk=doctor.pk).first()


def _check_member(doctor: DoctorProfile, clinic_id: uuid.UUID) -> None:
    if doctor_active_membership(user_id=doctor.user_id, clinic_id=clinic_id) is None:
        raise NotPermitted(
            "You can set availability only at a clinic where you are an active doctor.",
            code=ErrorCode.NOT_CLINIC_MEMBER,
        )


def _check_no_overlap(doctor: DoctorProfile, spec: WindowSpec, exclude_id: int | None) -> None:
    clash = (
        DoctorAvailability.objects.filter(overlapping(spec), doctor=doctor)
        .exclude(pk=exclude_id or 0)
        .select_related("clinic")
        .first()
    )
    if clash is not None:
        raise Conflict(
            f"Overlaps your {DAY_NAMES[clash.day_of_week]} window "
            f"{clash.start_time:%H:%M}-{clash.end_time:%H:%M} at {clash.clinic.name}.",
            code=ErrorCode.AVAILABILITY_OVERLAP,
            conflicting_availability_id=clash.pk,
        )


@transaction.atomic
def availability_create(*, doctor: DoctorProfile, spec: WindowSpec) -> DoctorAvailability:
    _check_window(spec)
    _lock_doctor(doctor)
    _check_member(doctor, spec.clinic_id)
    _check_no_overlap(doctor, spec, exclude_id=None)
    row = DoctorAvailability.objects.create(
        doctor=doctor,
        clinic_id=spec.clinic_id,
        day_of_week=spec.day_of_week,
        start_time=spec.start_time,
        end_time=spec.end_time,
        slot_duration_minutes=spec.slot_duration_minutes,
        max_patients=spec.max_patients,
        is_active=spec.is_active,
    )
    return DoctorAvailability.objects.select_related("clinic").get(pk=row.pk)


def _spec_of(row: DoctorAvailability) -> WindowSpec:
    return WindowSpec(
        clinic_id=row.clinic_id,
        day_of_week=row.day_of_week,
        start_time=row.start_time,
        end_time=row.end_time,
        slot_duration_minutes=row.slot_duration_minutes,
        max_patients=row.max_patients,
        is_active=row.is_active,
    )


@transaction.atomic
def availability_update(
    *, availability: DoctorAvailability, changes: dict[str, Any]
) -> DoctorAvailability:
    spec = replace(_spec_of(availability), **changes)
    _check_window(spec)
    _lock_doctor(availability.doctor)
    # An inactive window may stay at a clinic the doctor has left, but never move to one
    # where they do not practise (or that does not exist).
    if spec.is_active or spec.clinic_id != availability.clinic_id:
        _check_member(availability.doctor, spec.clinic_id)
    if spec.is_active:
        _check_no_overlap(availability.doctor, spec, exclude_id=availability.pk)
    model_update(instance=availability, fields=list(changes), data=changes)
    return DoctorAvailability.objects.select_related("clinic").get(pk=availability.pk)


@transaction.atomic
def availability_deactivate(*, availability: DoctorAvailability) -> None:
    availability.is_active = False
    availability.save(update_fields=["is_active", "updated_at"])


# --- leaves ----------------------------------------------------------------------------


def _doctor_today(doctor: DoctorProfile, clinic: Clinic | None) -> dt.date:
    """Today where the leave applies: the clinic's date, else the doctor's (first) clinic's."""
    if clinic is None:
        membership = doctor_active_membership(user_id=doctor.user_id)
        clinic = membership.clinic if membership else None
    return clinic_today(clinic) if clinic else timezone.localdate()


@transaction.atomic
def leave_create(
    *,
    doctor: DoctorProfile,
    start_date: dt.date,
    end_date: dt.date,
    clinic_id: uuid.UUID | None = None,
    reason: str = "",
    on_conflict: str | None = None,
) -> DoctorLeave:
    """A leave at one of the doctor's active clinics or (no clinic) everywhere.

    Refused: a start after the end, a start before today, and overlap with another leave of
    the doctor that covers the same clinic (an all-clinics leave covers every clinic): 409.
    Landing on pending/confirmed appointments needs `on_conflict` (a LeaveConflict):
    appointments answers `leave_touching_bookings` in this transaction, refusing (409) or
    resolving them.
    """
    if start_date > end_date:
        raise ValidationError({"end_date": ["End date must not be before start date."]})
    clinic = None
    if clinic_id is not None:
        membership = doctor_active_membership(user_id=doctor.user_id, clinic_id=clinic_id)
        if membership is None:
            raise ValidationError({"clinic": ["You are not an active doctor at this clinic."]})
        clinic = membership.clinic
    if start_date < _doctor_today(doctor, clinic):
        raise ValidationError({"start_date": ["A leave cannot start in the past."]})
    _lock_doctor(doctor)
    _check_no_leave_overlap(doctor, start_date, end_date, clinic_id)
    leave = DoctorLeave.objects.create(
        doctor=doctor, clinic=clinic, start_date=start_date, end_date=end_date, reason=reason
    )
    send_required(leave_touching_bookings, sender=DoctorLeave, leave=leave, on_conflict=on_conflict)
    leave_created.send(sender=DoctorLeave, leave=leave)
    return leave


def _check_no_leave_overlap(
    doctor: DoctorProfile, start_date: dt.date, end_date: dt.date, clinic_id: uuid.UUID | None
) -> None:
    overlapping = DoctorLeave.objects.filter(
        doctor=doctor, start_date__lte=end_date, end_date__gte=start_date
    )
    if clinic_id is not None:
        overlapping = overlapping.filter(Q(clinic_id=clinic_id) | Q(clinic__isnull=True))
    clash = overlapping.order_by("start_date", "id").first()
    if clash is not None:
        raise Conflict(
            f"Overlaps your leave {clash.start_date:%Y-%m-%d} to {clash.end_date:%Y-%m-%d}.",
            code=ErrorCode.LEAVE_OVERLAP,
            conflicting_leave_id=clash.pk,
        )


@transaction.atomic
def leave_delete(*, leave: DoctorLeave) -> None:
    leave.delete()
    leave_removed.send(
        sender=DoctorLeave,
        doctor_id=leave.doctor_id,
        start_date=leave.start_date,
        end_date=leave.end_date,
    )
