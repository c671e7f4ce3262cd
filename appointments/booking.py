"""Booking: the rules of `appointment_book`, in one transaction under the doctor's row lock.

Integrity is the database's job: booking locks the doctor's profile row, recomputes the free
slots and counts the patient's active appointments with the doctor under that lock (so neither
the window capacity nor the anti-hoarding cap can race), and the partial unique
constraints on (doctor, date, time) and (patient profile, date, time) among pending/confirmed
appointments turn any race left over into an IntegrityError, answered with 409.

A booking runs 4 statements served (22 before issue 16's target 4, then 8, then 5; the list and
why each stays is in `tests/test_booking_statements.py`): the user (none when the token's user
is cached), the lock (`booking_lock`, which on PostgreSQL also reserves the new appointment's
id), the day (`slots.doctor_booking_day`, with the outbox's read of the recipients' preferences
riding in it: `core.riders`), and one INSERT statement for every row (`core.insert_batch`: the
appointment and its history row from `booking_insert`, the outbox's rows with their send tasks'
rows, the audit event). Until the CPU step below the send task was an INSERT of its own after
the commit. Measured with `bench.run --only booking --seconds 5`, the two
runs back to back on an otherwise idle machine: 8.0 -> 4.7 SQL statements per booking (under
5 when the token's user is cached), 90 -> 136 bookings/s, p95 250 -> 143 ms, gunicorn CPU
15.6 -> 10.4 ms and database CPU 3.2 -> 2.3 ms per booking (on the machine shared with other
jobs the pairs were within noise: 110-141 against 119-134 bookings/s); in-process
(`python -m bench.profile --booking`) 16.3-17.0 -> 15.2-16.3 ms per booking.

Then the worker's CPU (issue 16, target 4, 250 bookings/s): a token's first request reads its
user in one hand-written statement (`users.authentication`), the send task rows ride in the
INSERT statement (`notifications.task_rows`), version bumps are one MSET
(`core.cache_ops`), `core.insert_batch.prepared` skips plain text fields' preparation, and a
day's text is formatted once per language (`notifications.render`). Measured with `bench.run
--only booking --seconds 5`, before and after alternately, twice, on the shared machine:
4.57 -> 3.53 SQL statements per booking, 174-176 -> 186-201 bookings/s, gunicorn CPU
7.72-7.95 -> 6.34-7.19 ms and database CPU 1.79-1.80 -> 1.73-1.83 ms per booking.
"""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.booking_insert import insert_with_first_change
from appointments.booking_lock import lock_doctor_for_booking
from appointments.freed import announce_slot_taken
from appointments.history import record_change
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentMode,
    AppointmentSource,
    AppointmentStatusChange,
    AppointmentType,
)
from appointments.policies import (
    can_book_appointment,
)
from appointments.slots import doctor_booking_day, doctor_free_slots
from audit.services import LockedChain
from clinic.models import Clinic
from clinic.rules import clinic_today
from clinic.selectors import doctor_active_membership
from core.error_codes import ErrorCode
from core.exceptions import Conflict, NotFound, NotPermitted, QuickCareError
from core.insert_batch import batched
from core.riders import carrying
from doctors.models import DoctorProfile
from doctors.slot_engine import HiddenReason, SlotResult
from users.acting import PROFILE_NOT_FOUND, profile_of_account, self_profile
from users.models import PatientProfile, User

NEXT_SLOTS_COUNT = 5

_REFUSALS: dict[HiddenReason, str] = {
    HiddenReason.PAST_DATE: "This date is in the past; choose a date from today onwards.",
    HiddenReason.PAST_TIME: "This time has already passed today; choose a later slot.",
    HiddenReason.ON_LEAVE: "The doctor is on leave on this date; choose another date.",
    HiddenReason.BEYOND_HORIZON: "Appointments can only be booked up to {days} days ahead.",
    HiddenReason.WINDOW_FULL: "All appointments in this session are taken; choose another slot.",
    HiddenReason.BOOKED: "This slot is already booked; choose another slot.",
    HiddenReason.HELD: "This slot is held for a patient on the waitlist; choose another slot.",
}
_CONFLICT_REASONS = frozenset({HiddenReason.BOOKED, HiddenReason.WINDOW_FULL, HiddenReason.HELD})
_DAY_REASONS = (HiddenReason.PAST_DATE, HiddenReason.BEYOND_HORIZON, HiddenReason.ON_LEAVE)


def _hhmm(moment: dt.time) -> str:
    return moment.strftime("%H:%M")


def next_free_slots(free: list[dt.time], *, after: dt.time) -> list[str]:
    """The next few free times after `after` that day, else the day's first free times."""
    later = [moment for moment in free if moment > after]
    return [_hhmm(moment) for moment in (later or free)[:NEXT_SLOTS_COUNT]]


def doctor_active_clinic(*, doctor: DoctorProfile) -> Clinic:
    """The one active clinic the doctor practises at (the spec's one-clinic rule)."""
    membership = doctor_active_membership(user_id=doctor.user_id)
    if membership is None:
        raise _not_practising()
    return membership.clinic


def _not_practising() -> QuickCareError:
    return QuickCareError(
        "This doctor is not practising at any clinic at the moment, so appointments "
        "cannot be booked with them.",
        code=ErrorCode.DOCTOR_NOT_IN_CLINIC,
    )


def _refuse(slots: SlotResult, *, date: dt.date, moment: dt.time, today: dt.date) -> QuickCareError:
    """Why `moment` cannot be booked on `date`, as the error to raise."""
    reason = slots.hidden.get(moment) or _day_reason(slots, date=date, today=today)
    if reason is None:
        return _off_grid(slots, moment=moment)
    message = _REFUSALS[reason].format(days=settings.BOOKING_HORIZON_DAYS)
    extra = {}
    if reason not in _DAY_REASONS:
        extra["next_available_slots"] = next_free_slots(slots.free, after=moment)
    error_class = Conflict if reason in _CONFLICT_REASONS else QuickCareError
    # Each engine reason is also an error code (pinned by core/tests/test_error_codes.py).
    return error_class(message, code=ErrorCode(reason.value), **extra)


def _day_reason(slots: SlotResult, *, date: dt.date, today: dt.date) -> HiddenReason | None:
    """The engine's verdict on the whole day, also for a day without any window."""
    hidden = set(slots.hidden.values())
    found = next((reason for reason in _DAY_REASONS if reason in hidden), None)
    if found is None and date < today:
        return HiddenReason.PAST_DATE
    if found is None and date > today + dt.timedelta(days=settings.BOOKING_HORIZON_DAYS):
        return HiddenReason.BEYOND_HORIZON
    return found


def _off_grid(slots: SlotResult, *, moment: dt.time) -> QuickCareError:
    inside = any(window.contains(moment) for window in set(slots.window_of.values()))
    if inside:
        message = f"{_hhmm(moment)} is not a slot start time; choose one of the free slots."
        code = ErrorCode.NOT_ON_GRID
    else:
        message = "The doctor does not see patients at this time on this day."
        code = ErrorCode.OUTSIDE_AVAILABILITY
    return QuickCareError(
        message, code=code, next_available_slots=next_free_slots(slots.free, after=moment)
    )


def _patient_busy(*, profile: PatientProfile | uuid.UUID, date: dt.date, moment: dt.time) -> bool:
    return Appointment.objects.filter(
        patient_profile=profile,
        appointment_date=date,
        appointment_time=moment,
        status__in=ACTIVE_STATUSES,
    ).exists()


def _patient_busy_error() -> Conflict:
    return Conflict(
        "You already have an appointment at this date and time.",
        code=ErrorCode.PATIENT_ALREADY_BOOKED,
        next_available_slots=[],
    )


def booking_profile(*, account: User, profile_id: uuid.UUID | None) -> PatientProfile:
    """Who the booking is for: one of the account's profiles (404 otherwise), else its own."""
    if profile_id is not None:
        return profile_of_account(user=account, profile_id=profile_id)
    profile = self_profile(account)
    assert profile is not None  # every account is created with one (users.services.profiles)
    return profile


def appointment_book(
    *,
    patient: User,
    doctor_id: int,
    appointment_date: dt.date,
    appointment_time: dt.time,
    appointment_type: str = AppointmentType.FIRST_VISIT,
    mode: str = AppointmentMode.IN_CLINIC,
    notes: str = "",
    actor: User | None = None,
    reason: str = "",
    rescheduled_from: Appointment | None = None,
    source: str = AppointmentSource.APP,
    overbook: bool = False,
    patient_profile: uuid.UUID | None = None,
) -> Appointment:
    """Book a free slot of the doctor at the doctor's clinic (pending) for one of the
    account's profiles: `patient_profile` (404 unless it is the account's), else its own.

    `actor` is who the history records (default: the patient), `reason` goes into it.
    A reschedule (`appointments.reschedule`) books through here: `rescheduled_from` (the
    appointment being replaced, cancelled after this in the same transaction) is linked and
    left out of the anti-hoarding count. A slot a waitlist offer holds for the profile booked
    for is theirs to book (`held` for everyone else, the holder's other profiles included).
    The front desk books a walk-in through here too (`appointments/queue/`): `source` says
    where it came from, and `overbook` queues it at `appointment_time` without a slot (the
    caller has checked the doctor allows it and the session is full): it skips the free-slot
    check only, and is left out of no_double_booking and the taken times."""
    if not can_book_appointment(user=patient):
        raise NotPermitted("Only patients can book appointments.")
    profile_id = _profile_id(patient_profile)
    now = timezone.now()
    try:
        with transaction.atomic():
            doctor, clinic, profile, reserved_id = _lock_bookable_doctor(
                doctor_id=doctor_id, mode=mode, account=patient, profile_id=profile_id
            )
            # Read under the doctor's row lock, in one statement: the patient's parallel
            # bookings with this doctor queue on the lock, so the cap counts the others'
            # committed rows, and the free slots see every committed booking.
            day = doctor_booking_day(
                doctor_id=doctor.pk,
                clinic=clinic,
                date=appointment_date,
                moment=appointment_time,
                now=now,
                profile_id=profile.pk,  # a hold is the person's, not the account's
                earliest=_earliest_ahead(now),
                exclude_id=rescheduled_from.pk if rescheduled_from else None,
                accounts=(patient.pk, doctor.user_id),  # read for them: core.riders
            )
            _check_active_cap(active=day.active, now=now)
            slots = day.slots
            if not overbook and not slots.is_free(appointment_time):
                if slots.hidden.get(appointment_time) == HiddenReason.BOOKED and _patient_busy(
                    profile=profile, date=appointment_date, moment=appointment_time
                ):
                    raise _patient_busy_error()
                raise _refuse(
                    slots,
                    date=appointment_date,
                    moment=appointment_time,
                    today=clinic_today(clinic, now),
                )
            # A patient already holding this date and time is refused by the
            # patient_one_active_appointment_per_time constraint (told apart in _lost_race).
            appointment = Appointment(
                id=reserved_id,  # reserved by the lock on PostgreSQL; None: the INSERT's own
                patient=patient,
                patient_profile=profile,
                doctor=doctor,
                clinic=clinic,
                appointment_date=appointment_date,
                appointment_time=appointment_time,
                appointment_type=appointment_type,
                mode=mode,
                fee_charged=_fee_for(doctor=doctor, appointment_type=appointment_type),
                notes=notes,
                source=source,
                overbooked=overbook,
                rescheduled_from=rescheduled_from,
            )
            first = AppointmentStatusChange(
                actor=actor or patient, from_status="", to_status=appointment.status, reason=reason
            )
            # The appointment, its history row, the outbox's rows and the audit event: one
            # statement on PostgreSQL, sent as the batch closes (`core.insert_batch`).
            with batched(), carrying(day.carried):
                insert_with_first_change(appointment, first)
                record_change(
                    appointment=appointment,
                    actor=actor or patient,
                    from_status="",
                    reason=reason,
                    stored=first,
                    # Locked by the doctor's lock statement, read by the day's (on SQLite,
                    # which has no such lock, writers are serialised instead).
                    locked_chain=LockedChain(patient_id=profile.pk, head=day.chain_head),
                )
            if day.holds_slot:  # the slot read saw the profile's own offer of this time
                announce_slot_taken(appointment=appointment)
    except IntegrityError:
        raise _lost_race(
            profile_id=profile.pk,
            doctor_id=doctor_id,
            date=appointment_date,
            moment=appointment_time,
        ) from None
    return appointment


def _profile_id(value: uuid.UUID | None) -> uuid.UUID | None:
    """The profile asked for (None: the account's own); an unreadable id is not one of the
    account's (404, as `users.acting.profile_of_account` answers)."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(PROFILE_NOT_FOUND, code=ErrorCode.PATIENT_PROFILE_NOT_FOUND) from None


def _earliest_ahead(now: dt.datetime) -> dt.date:
    # Any zone's date is within a day of UTC's: the bound keeps the cap's scan to the rows that
    # can still lie ahead, and the exact test (`_check_active_cap`) runs on those few.
    return now.astimezone(dt.UTC).date() - dt.timedelta(days=1)


def _check_active_cap(*, active: list[tuple[dt.date, dt.time, str]], now: dt.datetime) -> None:
    """No slot hoarding: at most MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR active future appointments
    of one person (profile) with one doctor (cancelled, finished and past ones do not count);
    a parent booking for two children holds each child's own allowance. `active` is the
    profile's pending/confirmed appointments with the doctor from `_earliest_ahead` on, each
    judged by its own clinic's clock (the doctor may have practised in another zone)."""
    limit = settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR
    ahead = sum(
        1
        for date, moment, zone in active
        if dt.datetime.combine(date, moment, ZoneInfo(zone)) > now
    )
    if ahead >= limit:
        raise Conflict(
            f"You already hold {limit} upcoming appointments with this doctor, the most "
            "allowed; cancel one to book another.",
            code=ErrorCode.TOO_MANY_ACTIVE_APPOINTMENTS,
            max_active_appointments=limit,
        )


def _lock_bookable_doctor(
    *, doctor_id: int, mode: str, account: User, profile_id: uuid.UUID | None
) -> tuple[DoctorProfile, Clinic, PatientProfile, int | None]:
    """Lock the doctor's profile row: bookings of one doctor run one at a time, so the window
    capacity check sees every committed booking (READ COMMITTED: a fresh snapshot per
    statement). The same statement reads the profile booked for (one of the account's, 404
    otherwise, checked first) and the doctor's active clinic: the doctor must practise at one
    and offer the mode."""
    locked = lock_doctor_for_booking(doctor_id=doctor_id, account=account, profile_id=profile_id)
    if locked.doctor is None:  # no row to join the profile to: it is checked on its own
        booking_profile(account=account, profile_id=profile_id)
        raise QuickCareError("Doctor not found.", code=ErrorCode.DOCTOR_NOT_FOUND)
    if locked.profile is None:
        raise NotFound(PROFILE_NOT_FOUND, code=ErrorCode.PATIENT_PROFILE_NOT_FOUND)
    if locked.clinic is None:
        raise _not_practising()
    if mode == AppointmentMode.VIDEO and not locked.doctor.offers_video_consultation:
        raise QuickCareError(
            "This doctor does not offer video consultations; book in clinic instead.",
            code=ErrorCode.VIDEO_NOT_OFFERED,
        )
    return locked.doctor, locked.clinic, locked.profile, locked.appointment_id


def _fee_for(*, doctor: DoctorProfile, appointment_type: str) -> Decimal:
    if appointment_type == AppointmentType.FOLLOW_UP:
        return doctor.follow_up_fee
    return doctor.first_visit_fee


def _lost_race(
    *, profile_id: uuid.UUID, doctor_id: int, date: dt.date, moment: dt.time
) -> Conflict:
    if _patient_busy(profile=profile_id, date=date, moment=moment):
        return _patient_busy_error()
    doctor = DoctorProfile.objects.select_related("user").get(pk=doctor_id)
    slots = doctor_free_slots(
        doctor_id=doctor_id, clinic=doctor_active_clinic(doctor=doctor), date=date
    )
    return Conflict(
        _REFUSALS[HiddenReason.BOOKED],
        code=ErrorCode.BOOKED,
        next_available_slots=next_free_slots(slots.free, after=moment),
    )
