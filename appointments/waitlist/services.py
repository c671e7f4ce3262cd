"""Joining and leaving the waitlist, and the offers: a freed slot held for the first waiting
patient, accepted (booked through `appointments.services.appointment_book`), declined or
expired, then passed on to the next one.

Every write here runs under the doctor's row lock, the lock booking and cancelling take first
(order: doctor -> appointment -> waitlist entry), so the day's offers have one writer at a
time; the `waitlist_one_offer_per_slot` constraint backs it up in the database.
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import services as booking
from appointments.models import Appointment, AppointmentMode, AppointmentType
from appointments.policies import can_book_appointment
from appointments.signals import slot_holds_changed, waitlist_offer_expired, waitlist_offer_made
from appointments.slots import doctor_free_slots
from appointments.waitlist.models import (
    OPEN_WAITLIST_STATUSES,
    WaitlistEntry,
    WaitlistPriority,
    WaitlistStatus,
)
from appointments.waitlist.selectors import waiting_entries
from clinic.models import Clinic
from clinic.rules import clinic_today
from clinic.selectors import doctor_active_membership
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, NotPermitted, QuickCareError
from doctors.models import DoctorProfile
from doctors.slot_engine import HiddenReason, SlotResult
from users.models import User

W = WaitlistStatus
# How far past a leave `reschedule_offer` looks for the nearest free slot.
DISPLACED_SEARCH_DAYS = 14


def _lock_doctor(doctor_id: int) -> DoctorProfile:
    doctor = (
        DoctorProfile.objects.select_related("user")
        .select_for_update(of=("self",))
        .filter(pk=doctor_id)
        .first()
    )
    if doctor is None:
        raise QuickCareError("Doctor not found.", code=ErrorCode.DOCTOR_NOT_FOUND)
    return doctor


def _active_clinic(doctor: DoctorProfile) -> Clinic | None:
    membership = doctor_active_membership(user_id=doctor.user_id)
    return membership.clinic if membership else None


def _lock_entry(entry: WaitlistEntry) -> WaitlistEntry:
    locked = (
        WaitlistEntry.objects.select_related("patient", "doctor__user", "clinic")
        .select_for_update(of=("self",))
        .get(pk=entry.pk)
    )
    return locked


# --- joining and leaving ----------------------------------------------------------------------


def _check_day(slots: SlotResult, *, date: dt.date, today: dt.date) -> None:
    """A day worth waiting for: not past, within the horizon, and one the doctor works (a day
    on leave is allowed: a leave removed frees its slots)."""
    horizon = today + dt.timedelta(days=settings.BOOKING_HORIZON_DAYS)
    if date < today:
        raise QuickCareError(
            "This date is in the past; choose a date from today onwards.",
            code=ErrorCode.PAST_DATE,
        )
    if date > horizon:
        raise QuickCareError(
            f"Appointments can only be booked up to {settings.BOOKING_HORIZON_DAYS} days ahead.",
            code=ErrorCode.BEYOND_HORIZON,
        )
    if not slots.window_of:
        raise QuickCareError(
            "The doctor does not see patients on this day.",
            code=ErrorCode.OUTSIDE_AVAILABILITY,
        )


def waitlist_join(
    *,
    patient: User,
    doctor_id: int,
    date: dt.date,
    from_time: dt.time | None = None,
    to_time: dt.time | None = None,
    appointment_type: str = AppointmentType.FIRST_VISIT,
    mode: str = AppointmentMode.IN_CLINIC,
    notes: str = "",
) -> WaitlistEntry:
    """The patient waits for a slot of the doctor on the date (between `from_time` and
    `to_time`, both included, when given). Refused while a matching slot is free (409 with
    them: book one instead) and when the patient already waits for that day (409)."""
    if not can_book_appointment(user=patient):
        raise NotPermitted("Only patients can join a waitlist.")
    with transaction.atomic():
        doctor = _lock_doctor(doctor_id)
        clinic = booking.doctor_active_clinic(doctor=doctor)
        if mode == AppointmentMode.VIDEO and not doctor.offers_video_consultation:
            raise QuickCareError(
                "This doctor does not offer video consultations; wait for an in-clinic slot.",
                code=ErrorCode.VIDEO_NOT_OFFERED,
            )
        slots = doctor_free_slots(
            doctor_id=doctor.pk, clinic=clinic, date=date, holder_id=patient.pk
        )
        _check_day(slots, date=date, today=clinic_today(clinic))
        entry = WaitlistEntry(
            patient=patient,
            doctor=doctor,
            clinic=clinic,
            date=date,
            from_time=from_time,
            to_time=to_time,
            appointment_type=appointment_type,
            mode=mode,
            notes=notes,
        )
        free = [moment for moment in slots.free if entry.matches(moment)]
        if free:
            raise Conflict(
                "Matching slots are free on this day: book one of them instead.",
                code=ErrorCode.WAITLIST_SLOTS_FREE,
                available_slots=[moment.strftime("%H:%M") for moment in free],
            )
        _check_not_waiting(patient=patient, doctor=doctor, date=date)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise _already_joined() from None
    return entry


def _already_joined() -> Conflict:
    return Conflict(
        "You are already on this doctor's waitlist for this day.",
        code=ErrorCode.WAITLIST_ALREADY_JOINED,
    )


def _check_not_waiting(*, patient: User, doctor: DoctorProfile, date: dt.date) -> None:
    if WaitlistEntry.objects.filter(
        patient=patient, doctor=doctor, date=date, status__in=OPEN_WAITLIST_STATUSES
    ).exists():
        raise _already_joined()


def waitlist_leave(*, entry: WaitlistEntry, patient: User) -> WaitlistEntry:
    """The patient leaves; a slot their offer held goes to the next patient at once."""
    if entry.patient_id != patient.pk:
        raise NotPermitted("You can only leave your own waitlist entries.")
    with transaction.atomic():
        _lock_doctor(entry.doctor_id)
        locked = _lock_entry(entry)
        if locked.status not in OPEN_WAITLIST_STATUSES:
            raise InvalidState(
                f"This waitlist entry has already ended ({locked.status}).",
                code=ErrorCode.WAITLIST_CLOSED,
            )
        _close(locked, status=W.LEFT)
    return locked


def _close(entry: WaitlistEntry, *, status: str, now: dt.datetime | None = None) -> None:
    """End the entry; a slot it held is released and offered to the next patient."""
    held = entry.status == W.OFFERED
    entry.status = status
    entry.closed_at = now or timezone.now()
    entry.save(update_fields=["status", "closed_at", "updated_at"])
    if held:
        slot_holds_changed.send(sender=WaitlistEntry, doctor_id=entry.doctor_id, date=entry.date)
        _offer_day(doctor_id=entry.doctor_id, date=entry.date, now=now)


# --- offers -----------------------------------------------------------------------------------


def _hold_until(
    entry: WaitlistEntry, *, clinic: Clinic, moment: dt.time, now: dt.datetime
) -> dt.datetime:
    minutes = (
        settings.WAITLIST_LEAVE_HOLD_MINUTES
        if entry.priority == WaitlistPriority.DISPLACED
        else settings.WAITLIST_HOLD_MINUTES
    )
    starts = dt.datetime.combine(entry.date, moment, tzinfo=ZoneInfo(clinic.timezone))
    # Never held past the slot's own start (UTC arithmetic: a zone's is wall-clock).
    return min(now + dt.timedelta(minutes=minutes), starts.astimezone(dt.UTC))


def _make_offer(entry: WaitlistEntry, *, clinic: Clinic, moment: dt.time, now: dt.datetime) -> bool:
    entry.status = W.OFFERED
    entry.offered_time = moment
    entry.offered_at = now
    entry.offer_expires_at = _hold_until(entry, clinic=clinic, moment=moment, now=now)
    try:
        with transaction.atomic():
            entry.save(
                update_fields=[
                    "status",
                    "offered_time",
                    "offered_at",
                    "offer_expires_at",
                    "updated_at",
                ]
            )
    except IntegrityError:  # another live offer holds this time: leave the entry waiting
        entry.status, entry.offered_time = W.WAITING, None
        entry.offered_at = entry.offer_expires_at = None
        return False
    waitlist_offer_made.send(sender=WaitlistEntry, entry=entry)
    slot_holds_changed.send(sender=WaitlistEntry, doctor_id=entry.doctor_id, date=entry.date)
    return True


def _first_match(
    entries: list[WaitlistEntry], free: list[dt.time]
) -> tuple[WaitlistEntry, dt.time] | None:
    for entry in entries:
        for moment in free:
            if entry.matches(moment):
                return entry, moment
    return None


def _offer_day(
    *,
    doctor_id: int,
    date: dt.date,
    now: dt.datetime | None = None,
    only_displaced: bool = False,
) -> list[int]:
    """Offer the day's free slots to the waiting patients, first in line first; the caller
    holds the doctor's row lock. The free slots are recomputed after each offer: a hold
    counts against its window's capacity like a booking. `only_displaced`: a leave's
    patients are being placed one by one; nobody else may take their slots meanwhile."""
    waiting = waiting_entries(doctor_id=doctor_id, date=date)
    if only_displaced:
        waiting = waiting.filter(priority=WaitlistPriority.DISPLACED)
    entries = list(waiting)
    if not entries:
        return []
    doctor = entries[0].doctor
    clinic = _active_clinic(doctor)
    if clinic is None:
        return []
    moment_now = now or timezone.now()
    offered: list[int] = []
    while entries:
        slots = doctor_free_slots(doctor_id=doctor_id, clinic=clinic, date=date, now=moment_now)
        found = _first_match(entries, slots.free)
        if found is None:
            break
        entry, moment = found
        entries.remove(entry)
        if _make_offer(entry, clinic=clinic, moment=moment, now=moment_now):
            offered.append(entry.pk)
    return offered


def waitlist_offer_freed_slots(*, doctor_id: int, date: dt.date) -> list[int]:
    """The slot-freed hook (`appointments.freed`): offer the day's free slots to the waiting
    patients, in the freeing transaction. Returns the entries offered a slot."""
    _lock_doctor(doctor_id)  # already held by a cancel; taken here for a leave's removal
    return _offer_day(doctor_id=doctor_id, date=date)


def waitlist_hold_used(*, appointment: Appointment) -> None:
    """A booking of a slot the patient held closes their offer as booked."""
    WaitlistEntry.objects.filter(
        patient_id=appointment.patient_id,
        doctor_id=appointment.doctor_id,
        date=appointment.appointment_date,
        offered_time=appointment.appointment_time,
        status=W.OFFERED,
    ).update(
        status=W.BOOKED,
        appointment=appointment,
        closed_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _live_offer(entry: WaitlistEntry, *, now: dt.datetime) -> WaitlistEntry:
    if entry.status != W.OFFERED or entry.offer_expires_at is None:
        raise InvalidState(
            f"This waitlist entry has no open offer ({entry.status}).",
            code=ErrorCode.WAITLIST_NO_OFFER,
        )
    if entry.offer_expires_at <= now:
        raise InvalidState(
            "This offer has expired and the slot has moved on.", code=ErrorCode.WAITLIST_NO_OFFER
        )
    return entry


def waitlist_accept(*, entry: WaitlistEntry, patient: User) -> Appointment:
    """Book the held slot, through the booking rules (the hold makes it free for this patient
    only). An offer that ran out is expired first (and the slot passed on): 400."""
    if entry.patient_id != patient.pk:
        raise NotPermitted("You can only accept your own offers.")
    waitlist_expire_due(doctor_ids=[entry.doctor_id])
    with transaction.atomic():
        _lock_doctor(entry.doctor_id)
        locked = _live_offer(_lock_entry(entry), now=timezone.now())
        assert locked.offered_time is not None  # an offer always has its time (constraint)
        appointment = booking.appointment_book(
            patient=patient,
            doctor_id=locked.doctor_id,
            appointment_date=locked.date,
            appointment_time=locked.offered_time,
            appointment_type=locked.appointment_type,
            mode=locked.mode,
            notes=locked.notes,
            reason=f"waitlist offer #{locked.pk}",
        )
    return appointment


def waitlist_decline(*, entry: WaitlistEntry, patient: User) -> WaitlistEntry:
    """The patient turns the offer down; the slot goes to the next patient at once."""
    if entry.patient_id != patient.pk:
        raise NotPermitted("You can only decline your own offers.")
    with transaction.atomic():
        _lock_doctor(entry.doctor_id)
        locked = _live_offer(_lock_entry(entry), now=timezone.now())
        _close(locked, status=W.DECLINED)
    return locked


def waitlist_expire_due(
    *,
    now: dt.datetime | None = None,
    doctor_ids: Iterable[int] | None = None,
    patient: User | None = None,
) -> int:
    """Expire the offers whose hold ran out and pass each slot on (the sweep, and lazily on
    reads and accept); one transaction per doctor. Returns how many expired."""
    moment = now or timezone.now()
    due = WaitlistEntry.objects.filter(status=W.OFFERED, offer_expires_at__lte=moment)
    if doctor_ids is not None:
        due = due.filter(doctor_id__in=list(doctor_ids))
    if patient is not None:
        due = due.filter(patient=patient)
    expired = 0
    for doctor_id in sorted(set(due.values_list("doctor_id", flat=True))):
        with transaction.atomic():
            _lock_doctor(doctor_id)
            rows = list(
                due.filter(doctor_id=doctor_id)
                .select_related("patient", "doctor__user", "clinic")
                .select_for_update(of=("self",))
                .order_by("date", "offered_time", "id")
            )
            for entry in rows:
                _close(entry, status=W.EXPIRED, now=moment)
                waitlist_offer_expired.send(sender=WaitlistEntry, entry=entry)
            expired += len(rows)
    return expired


def waitlist_close_past(*, now: dt.datetime | None = None) -> int:
    """Entries still waiting for a day that is over (in the clinic's clock) end as expired."""
    moment = now or timezone.now()
    stale = WaitlistEntry.objects.filter(
        status=W.WAITING, date__lt=moment.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    ).select_related("clinic")
    closed = [entry.pk for entry in stale if entry.date < clinic_today(entry.clinic, moment)]
    return WaitlistEntry.objects.filter(pk__in=closed, status=W.WAITING).update(
        status=W.EXPIRED, closed_at=moment, updated_at=moment
    )


# --- a doctor's leave -------------------------------------------------------------------------


def _nearest_free_day(
    *, doctor_id: int, clinic: Clinic, after: dt.date, now: dt.datetime
) -> dt.date | None:
    for offset in range(1, DISPLACED_SEARCH_DAYS + 1):
        date = after + dt.timedelta(days=offset)
        slots = doctor_free_slots(doctor_id=doctor_id, clinic=clinic, date=date, now=now)
        if slots.free:
            return date
        if any(reason == HiddenReason.BEYOND_HORIZON for reason in slots.hidden.values()):
            return None
    return None


def waitlist_displace(*, appointment: Appointment, after: dt.date) -> WaitlistEntry | None:
    """`reschedule_offer`: the patient of an appointment a leave cancelled goes first on the
    waitlist of the nearest day after the leave with a free slot, and is offered that day's
    first free slot at once (held WAITLIST_LEAVE_HOLD_MINUTES). Without a free day in
    DISPLACED_SEARCH_DAYS, nothing is held: the patient is told the next free times instead.
    The caller holds the doctor's row lock."""
    now = timezone.now()
    clinic = appointment.clinic
    date = _nearest_free_day(doctor_id=appointment.doctor_id, clinic=clinic, after=after, now=now)
    if date is None:
        return None
    entry = WaitlistEntry.objects.filter(
        patient_id=appointment.patient_id,
        doctor_id=appointment.doctor_id,
        date=date,
        status__in=OPEN_WAITLIST_STATUSES,
    ).first()
    if entry is None:
        entry = WaitlistEntry.objects.create(
            patient_id=appointment.patient_id,
            doctor_id=appointment.doctor_id,
            clinic=clinic,
            date=date,
            appointment_type=appointment.appointment_type,
            mode=appointment.mode,
            notes=appointment.notes,
            priority=WaitlistPriority.DISPLACED,
            source_appointment=appointment,
        )
    elif entry.status == W.WAITING:
        entry.priority, entry.source_appointment = WaitlistPriority.DISPLACED, appointment
        entry.save(update_fields=["priority", "source_appointment", "updated_at"])
    _offer_day(doctor_id=appointment.doctor_id, date=date, now=now, only_displaced=True)
    entry.refresh_from_db()
    return entry
