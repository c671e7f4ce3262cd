"""Walk-ins: the front desk books a person who came to the counter into the doctor's session
today, through the booking rules and the queue's locks.

A phone number stands for an account, and an account for several people (issue 13): the desk
finds the account by contact (or registers it the way staff are registered: a temporary
password by SMS, `password_change_required`), then picks whom the visit is for: one of that
account's profiles (`patient_profile`, 404 for any other), a new dependent it adds there
(`dependent`, through `users.services.profiles.dependent_create`, the dependents service), or
by default the account's own profile. Any active account may be booked for: a staff account
that never turned patient care on has it turned on here (`self_profile_enable`, what
`POST /api/users/me/patient-profile/` does), since the person is at the desk asking for care.
A closed account is refused (409 `account_inactive`).
"""

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, AppointmentSource, AppointmentStatus
from appointments.queue.selectors import doctor_membership_for_front_desk
from appointments.queue.services import join_line, lock_appointment, lock_doctor, refresh_etas
from appointments.services import appointment_book, appointment_transition, booking_profile
from appointments.slots import doctor_free_slots
from clinic.models import Clinic
from clinic.rules import clinic_now, clinic_today
from clinic.services import AccountFound, account_find_or_register
from core.error_codes import ErrorCode
from core.exceptions import Conflict
from core.roles import RoleId
from doctors.models import DoctorProfile
from doctors.slot_engine import HiddenReason, SlotResult, Window
from users.acting import can_act_as_patient
from users.models import PatientProfile, User
from users.services.profiles import dependent_create, self_profile_enable


@dataclass(frozen=True)
class WalkIn:
    appointment: Appointment
    account_created: bool


def walk_in_account(*, clinic: Clinic, actor: User, contact: str, name: str) -> AccountFound:
    """The account a walk-in is booked under: found by contact, or registered by the clinic
    the way staff are (a temporary password by SMS; they choose their own at first log-in).
    An account that cannot act as a patient yet (staff, an owner) gets patient care turned
    on; a closed one is refused."""
    found = account_find_or_register(
        clinic=clinic,
        issued_by=actor,
        contact=contact,
        name=name,
        role_id=RoleId.PATIENT,
        password_change_required=True,
    )
    if not found.user.is_active:
        raise Conflict(
            "The account on this number is closed; it cannot be booked.",
            code=ErrorCode.ACCOUNT_INACTIVE,
        )
    if not can_act_as_patient(found.user):
        self_profile_enable(user=found.user)
    return found


def walk_in_profile(
    *,
    account: User,
    patient_profile: uuid.UUID | None = None,
    dependent: Mapping[str, Any] | None = None,
) -> PatientProfile:
    """Whom the visit is for: a new dependent of the account, one of its profiles (404
    `patient_profile_not_found` otherwise, booking's own rule), else its own."""
    if dependent is not None:
        return dependent_create(account=account, data=dependent)
    return booking_profile(account=account, profile_id=patient_profile)


def _session(slots: SlotResult, *, now_time: dt.time) -> Window | None:
    """The window under way now, else the next one today."""
    windows = sorted(set(slots.window_of.values()), key=lambda window: window.start)
    current = next((window for window in windows if window.contains(now_time)), None)
    return current or next((window for window in windows if window.start > now_time), None)


def _walk_in_time(
    slots: SlotResult, *, doctor: DoctorProfile, local_now: dt.datetime
) -> tuple[dt.time, bool]:
    """(time, overbooked): the session's first free slot, else (when the doctor overbooks)
    the arrival minute, or the session's start for someone who came before it."""
    if HiddenReason.ON_LEAVE in set(slots.hidden.values()):
        raise Conflict(
            "The doctor is on leave today; no walk-ins can be taken.", code=ErrorCode.ON_LEAVE
        )
    now_time = local_now.time().replace(second=0, microsecond=0, tzinfo=None)
    session = _session(slots, now_time=now_time)
    if session is None:
        raise Conflict("The doctor has no session left today.", code=ErrorCode.NO_SESSION_TODAY)
    free = [moment for moment in slots.free if session.contains(moment)]
    if free:
        return free[0], False
    if not doctor.allow_overbooking:
        raise Conflict(
            "Every slot of this session is taken and the doctor does not take patients "
            "beyond them.",
            code=ErrorCode.SESSION_FULL,
        )
    return max(now_time, session.start), True


def walk_in_create(
    *,
    actor: User,
    doctor_id: int,
    contact: str,
    name: str = "",
    reason: str = "",
    patient_profile: uuid.UUID | None = None,
    dependent: Mapping[str, Any] | None = None,
) -> WalkIn:
    """A walk-in at the doctor's session today: an appointment booked through the booking
    rules (source walk_in) for the chosen profile of the contact's account, confirmed, and
    given the next token. A refusal (a full session, an unknown profile) leaves nothing
    behind: no account, no dependent, no patient care turned on."""
    membership = doctor_membership_for_front_desk(user=actor, doctor_id=doctor_id)
    clinic = membership.clinic
    now = timezone.now()
    with transaction.atomic():
        # Taken before the slot is chosen, so the choice and the booking see the same slots;
        # appointment_book takes it again (already held: no wait).
        doctor = lock_doctor(doctor_id)
        today = clinic_today(clinic, now)
        slots = doctor_free_slots(doctor_id=doctor_id, clinic=clinic, date=today, now=now)
        moment, overbook = _walk_in_time(slots, doctor=doctor, local_now=clinic_now(clinic, now))
        account = walk_in_account(clinic=clinic, actor=actor, contact=contact, name=name)
        profile = walk_in_profile(
            account=account.user, patient_profile=patient_profile, dependent=dependent
        )
        booked = appointment_book(
            patient=account.user,
            patient_profile=profile.pk,
            doctor_id=doctor_id,
            appointment_date=today,
            appointment_time=moment,
            notes=reason,
            actor=actor,
            source=AppointmentSource.WALK_IN,
            overbook=overbook,
        )
        appointment = lock_appointment(booked.pk, clinic=clinic)
        appointment_transition(
            appointment=appointment, to=AppointmentStatus.CONFIRMED, actor=actor, reason="walk-in"
        )
        join_line(appointment, now=now)
        refresh_etas(clinic=clinic, doctor_id=doctor_id, date=today, now=now)
    return WalkIn(appointment=appointment, account_created=account.created)
