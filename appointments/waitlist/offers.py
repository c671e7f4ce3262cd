"""The offers: a freed slot held for the first waiting patient, and the entry's end releasing
it to the next one; also the placing of a leave's displaced patients.

Everything here runs under the doctor's row lock, the lock booking and cancelling take first
(order: doctor -> appointment -> waitlist entry), so a day's offers have one writer at a time;
the `waitlist_one_offer_per_slot` constraint backs it up in the database. Called by the
slot-freed hook (`appointments.freed`), the waitlist services and the leave resolution.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.models import Appointment
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
from clinic.selectors import doctor_active_membership
from core.error_codes import ErrorCode
from core.exceptions import QuickCareError
from doctors.models import DoctorProfile
from doctors.slot_engine import HiddenReason

W = WaitlistStatus
# How far past a leave `reschedule_offer` looks for the nearest free slot.
DISPLACED_SEARCH_DAYS = 14


def lock_doctor(doctor_id: int) -> DoctorProfile:
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


def lock_entry(entry: WaitlistEntry) -> WaitlistEntry:
    locked = (
        WaitlistEntry.objects.select_related("patient", "doctor__user", "clinic")
        .select_for_update(of=("self",))
        .get(pk=entry.pk)
    )
    return locked


def close_entry(entry: WaitlistEntry, *, status: str, now: dt.datetime | None = None) -> None:
    """End the entry; a slot it held is released and offered to the next patient."""
    held = entry.status == W.OFFERED
    entry.status = status
    entry.closed_at = now or timezone.now()
    entry.save(update_fields=["status", "closed_at", "updated_at"])
    if held:
        slot_holds_changed.send(sender=WaitlistEntry, doctor_id=entry.doctor_id, date=entry.date)
        _offer_day(doctor_id=entry.doctor_id, date=entry.date, now=now)


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
    moment_now = now or timezone.now()
    _expire_stale(doctor_id=doctor_id, date=date, now=moment_now)
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


def _expire_stale(*, doctor_id: int, date: dt.date, now: dt.datetime) -> None:
    """Offers of the day whose hold ran out but the sweep has not reached yet end expired
    first, so their times can be offered again (one live offer per slot)."""
    stale = list(
        WaitlistEntry.objects.filter(
            doctor_id=doctor_id, date=date, status=W.OFFERED, offer_expires_at__lte=now
        )
        .select_related("patient", "doctor__user", "clinic")
        .select_for_update(of=("self",))
    )
    for entry in stale:
        entry.status, entry.closed_at = W.EXPIRED, now
        entry.save(update_fields=["status", "closed_at", "updated_at"])
        waitlist_offer_expired.send(sender=WaitlistEntry, entry=entry)


def waitlist_offer_freed_slots(*, doctor_id: int, date: dt.date) -> list[int]:
    """The slot-freed hook (`appointments.freed`): offer the day's free slots to the waiting
    patients, in the freeing transaction. Returns the entries offered a slot."""
    lock_doctor(doctor_id)  # already held by a cancel; taken here for a leave's removal
    return _offer_day(doctor_id=doctor_id, date=date)


def waitlist_hold_used(*, appointment: Appointment) -> None:
    """A booking of a slot held for its profile closes that offer as booked (the only offer
    the booking could use: a hold is hidden from every other profile)."""
    WaitlistEntry.objects.filter(
        patient_profile_id=appointment.patient_profile_id,
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
    """`reschedule_offer`: the person (profile) of an appointment a leave cancelled goes first
    on the waitlist of the nearest day after the leave with a free slot (the entry held by the
    same account), and is offered that day's first free slot at once (held
    WAITLIST_LEAVE_HOLD_MINUTES). Without a free day in DISPLACED_SEARCH_DAYS, nothing is
    held: the patient is told the next free times instead.
    The caller holds the doctor's row lock."""
    now = timezone.now()
    clinic = appointment.clinic
    date = _nearest_free_day(doctor_id=appointment.doctor_id, clinic=clinic, after=after, now=now)
    if date is None:
        return None
    entry = WaitlistEntry.objects.filter(
        patient_profile_id=appointment.patient_profile_id,
        doctor_id=appointment.doctor_id,
        date=date,
        status__in=OPEN_WAITLIST_STATUSES,
    ).first()
    if entry is None:
        entry = WaitlistEntry.objects.create(
            patient_id=appointment.patient_id,
            patient_profile_id=appointment.patient_profile_id,
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
