"""Joining and leaving the waitlist, and answering an offer: accept (booked through
`appointments.services.appointment_book` for the entry's profile, the hold making the slot
free for that person only), decline, or let it expire (the sweep, and lazily on reads and
accept); each end passes the slot on (`waitlist.offers`).

An entry is for one patient profile of the account that joins (`patient_profile`, chosen as
booking chooses it: `appointments.services.booking_profile`, 404 for a profile that is not
the account's), and the account acts for it: leaves, accepts, declines.
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import services as booking
from appointments.models import Appointment, AppointmentMode, AppointmentType
from appointments.policies import can_book_appointment
from appointments.signals import waitlist_offer_expired
from appointments.slots import doctor_free_slots
from appointments.waitlist.models import OPEN_WAITLIST_STATUSES, WaitlistEntry, WaitlistStatus
from appointments.waitlist.offers import close_entry, lock_doctor, lock_entry
from clinic.rules import clinic_today
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, NotPermitted, QuickCareError
from doctors.models import DoctorProfile
from doctors.slot_engine import SlotResult
from users.models import PatientProfile, User

W = WaitlistStatus


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
    patient_profile: uuid.UUID | None = None,
) -> WaitlistEntry:
    """The account waits, for one of its profiles (`patient_profile`, else its own), for a
    slot of the doctor on the date (between `from_time` and `to_time`, both included, when
    given). Refused while a matching slot is free for that person (409 with them: book one
    instead) and when that person already waits for that day (409)."""
    if not can_book_appointment(user=patient):
        raise NotPermitted("Only patients can join a waitlist.")
    profile = booking.booking_profile(account=patient, profile_id=patient_profile)
    with transaction.atomic():
        doctor = lock_doctor(doctor_id)
        clinic = booking.doctor_active_clinic(doctor=doctor)
        if mode == AppointmentMode.VIDEO and not doctor.offers_video_consultation:
            raise QuickCareError(
                "This doctor does not offer video consultations; wait for an in-clinic slot.",
                code=ErrorCode.VIDEO_NOT_OFFERED,
            )
        slots = doctor_free_slots(
            doctor_id=doctor.pk, clinic=clinic, date=date, holder_profile_id=profile.pk
        )
        _check_day(slots, date=date, today=clinic_today(clinic))
        entry = WaitlistEntry(
            patient=patient,
            patient_profile=profile,
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
        _check_not_waiting(profile=profile, doctor=doctor, date=date)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise _already_joined() from None
    return entry


def _already_joined() -> Conflict:
    return Conflict(
        "This person is already on this doctor's waitlist for this day.",
        code=ErrorCode.WAITLIST_ALREADY_JOINED,
    )


def _check_not_waiting(*, profile: PatientProfile, doctor: DoctorProfile, date: dt.date) -> None:
    if WaitlistEntry.objects.filter(
        patient_profile=profile, doctor=doctor, date=date, status__in=OPEN_WAITLIST_STATUSES
    ).exists():
        raise _already_joined()


def waitlist_leave(*, entry: WaitlistEntry, patient: User) -> WaitlistEntry:
    """The patient leaves; a slot their offer held goes to the next patient at once."""
    if entry.patient_id != patient.pk:
        raise NotPermitted("You can only leave your own waitlist entries.")
    with transaction.atomic():
        lock_doctor(entry.doctor_id)
        locked = lock_entry(entry)
        if locked.status not in OPEN_WAITLIST_STATUSES:
            raise InvalidState(
                f"This waitlist entry has already ended ({locked.status}).",
                code=ErrorCode.WAITLIST_CLOSED,
            )
        close_entry(locked, status=W.LEFT)
    return locked


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
    """Book the held slot for the entry's profile, through the booking rules (the hold makes
    it free for that person only). An offer that ran out is expired first (and the slot
    passed on): 400."""
    if entry.patient_id != patient.pk:
        raise NotPermitted("You can only accept your own offers.")
    waitlist_expire_due(doctor_ids=[entry.doctor_id])
    with transaction.atomic():
        lock_doctor(entry.doctor_id)
        locked = _live_offer(lock_entry(entry), now=timezone.now())
        assert locked.offered_time is not None  # an offer always has its time (constraint)
        appointment = booking.appointment_book(
            patient=patient,
            patient_profile=locked.patient_profile_id,
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
        lock_doctor(entry.doctor_id)
        locked = _live_offer(lock_entry(entry), now=timezone.now())
        close_entry(locked, status=W.DECLINED)
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
            lock_doctor(doctor_id)
            rows = list(
                due.filter(doctor_id=doctor_id)
                .select_related("patient", "doctor__user", "clinic")
                .select_for_update(of=("self",))
                .order_by("date", "offered_time", "id")
            )
            for entry in rows:
                close_entry(entry, status=W.EXPIRED, now=moment)
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
