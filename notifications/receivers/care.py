"""The OPD day's events: bookings, status changes and reminders, ETAs, a leave over
bookings, the waitlist's offers."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone

from appointments.leaves import CANCELLED_BY_LEAVE
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentSource,
    AppointmentStatus,
)
from appointments.slots import doctor_free_slots
from appointments.waitlist.models import WaitlistEntry
from clinic.models import Clinic
from doctors.models import DoctorLeave
from notifications import schedule
from notifications.kinds import (
    NO_FREE_TIMES,
    NO_TOKEN,
    REASON_NOT_GIVEN,
)
from notifications.models import Kind
from notifications.render import Words
from notifications.services import Event, notifications_cancel, notify, notify_many
from users.models import User

S = AppointmentStatus
LEAVE_SLOTS_SHOWN = 3
LEAVE_SEARCH_DAYS = 14


# --- appointments ------------------------------------------------------------------------------


def _appointment_event(appointment: Appointment, *, recipient: User, kind: str, key: str) -> Event:
    clinic = appointment.clinic
    return Event(
        recipient=recipient,
        kind=kind,
        key=f"appointment:{appointment.pk}:{key}",
        subject=f"appointment:{appointment.pk}",
        zone=clinic.timezone,
        region=clinic.state,
        when=appointment.starts_at,
        values={"doctor": appointment.doctor.user.name, "clinic": clinic.name},
        data={"appointment_id": appointment.pk},
    )


def _reminders(appointment: Appointment) -> list[Event]:
    now = timezone.now()
    offsets: dict[str, int] = settings.NOTIFICATION_REMINDER_OFFSETS
    events = []
    for label, minutes in offsets.items():
        event = _appointment_event(
            appointment,
            recipient=appointment.patient,
            kind=Kind.APPOINTMENT_REMINDER,
            key=f"reminder:{label}",
        )
        event.due_at, event.skip_reason = schedule.before(
            appointment.starts_at, minutes=minutes, zone=event.zone, now=now
        )
        event.valid_until = appointment.starts_at
        events.append(event)
    return events


def _booked(appointment: Appointment) -> None:
    """The patient's confirmation, the doctor's notice and the reminders, in one write."""
    for_patient = _appointment_event(
        appointment, recipient=appointment.patient, kind=Kind.APPOINTMENT_BOOKED, key="booked"
    )
    for_doctor = _appointment_event(
        appointment,
        recipient=appointment.doctor.user,
        kind=Kind.APPOINTMENT_BOOKED_DOCTOR,
        key="booked:doctor",
    )
    for_doctor.values["patient"] = appointment.patient_profile.name
    notify_many([for_patient, for_doctor, *_reminders(appointment)])


def _rescheduled(appointment: Appointment, *, actor: User) -> None:
    """The new appointment of a reschedule: the other side is told (the patient moved it: the
    doctor; the clinic moved it: the patient), and its reminders are set."""
    if actor.pk == appointment.patient_id:
        event = _appointment_event(
            appointment,
            recipient=appointment.doctor.user,
            kind=Kind.APPOINTMENT_RESCHEDULED_DOCTOR,
            key="rescheduled:doctor",
        )
        event.values["patient"] = appointment.patient_profile.name  # the person, not the holder
    else:
        event = _appointment_event(
            appointment,
            recipient=appointment.patient,
            kind=Kind.APPOINTMENT_RESCHEDULED,
            key="rescheduled",
        )
    notify_many([event, *_reminders(appointment)])


def _cancelled(appointment: Appointment, *, actor: User, reason: str) -> None:
    if appointment.rescheduled_to_id is not None or hasattr(appointment, CANCELLED_BY_LEAVE):
        return  # the new appointment's notice, or the leave's, says it
    by_patient = actor.pk == appointment.patient_id
    event = _appointment_event(
        appointment,
        recipient=appointment.doctor.user if by_patient else appointment.patient,
        kind=Kind.APPOINTMENT_CANCELLED_BY_PATIENT
        if by_patient
        else Kind.APPOINTMENT_CANCELLED_BY_DOCTOR,
        key="cancelled",
    )
    event.values["patient"] = appointment.patient_profile.name
    event.values["reason"] = reason.strip() or Words(REASON_NOT_GIVEN)
    notify(event)


def on_appointment_status_changed(
    *, appointment: Appointment, actor: User, from_status: str, reason: str = "", **_: Any
) -> None:
    if not from_status:
        if appointment.rescheduled_from_id is not None:
            _rescheduled(appointment, actor=actor)
        # A walk-in is booked at the desk with the patient there: no "awaits confirmation"
        # message or reminders (it is confirmed at once, and that is told).
        elif appointment.source != AppointmentSource.WALK_IN:
            _booked(appointment)
        return
    if appointment.status not in ACTIVE_STATUSES:
        notifications_cancel(
            subject=f"appointment:{appointment.pk}",
            kinds=[Kind.APPOINTMENT_REMINDER],
            reason=f"appointment {appointment.status}",
        )
    if appointment.status == S.CONFIRMED and appointment.rescheduled_from_id is None:
        notify(
            _appointment_event(
                appointment,
                recipient=appointment.patient,
                kind=Kind.APPOINTMENT_CONFIRMED,
                key="confirmed",
            )
        )
    elif appointment.status == S.CANCELLED:
        _cancelled(appointment, actor=actor, reason=reason)


def on_queue_eta_moved(
    *, appointment: Appointment, eta: dt.datetime, previous: dt.datetime, **_: Any
) -> None:
    """The patient's expected turn moved by more than QUEUE_ETA_NOTIFY_MINUTES: one message
    per move (the key names the new time), void once that time has passed."""
    event = _appointment_event(
        appointment,
        recipient=appointment.patient,
        kind=Kind.QUEUE_ETA_MOVED,
        key=f"eta:{eta.astimezone(dt.UTC):%Y%m%dT%H%M}",
    )
    event.when = eta
    event.valid_until = eta
    event.values["token"] = (
        str(appointment.token) if appointment.token is not None else Words(NO_TOKEN)
    )
    event.data["eta"] = eta.isoformat()
    event.data["previous_eta"] = previous.isoformat()
    notify(event)


# --- a doctor's leave --------------------------------------------------------------------------


def _next_free_times(leave: DoctorLeave, clinic: Clinic) -> Callable[[], str] | Words:
    """The first few free times after the leave (rendered per language), or "none"."""
    found: list[tuple[dt.date, dt.time]] = []
    for offset in range(1, LEAVE_SEARCH_DAYS + 1):
        date = leave.end_date + dt.timedelta(days=offset)
        free = doctor_free_slots(doctor_id=leave.doctor_id, clinic=clinic, date=date).free
        found += [(date, moment) for moment in free[: LEAVE_SLOTS_SHOWN - len(found)]]
        if len(found) >= LEAVE_SLOTS_SHOWN:
            break
    if not found:
        return Words(NO_FREE_TIMES, days=LEAVE_SEARCH_DAYS)
    return lambda: ", ".join(
        f"{formats.date_format(date, 'j F')} {moment:%H:%M}" for date, moment in found
    )


def on_leave_bookings_cancelled(
    *, leave: DoctorLeave, appointments: list[Appointment], offered: list[int], **_: Any
) -> None:
    """Tell each patient whose booking the leave cancelled, with the next free times (those
    offered a held slot are told by the offer's notice instead)."""
    free_times: dict[Any, Callable[[], str] | Words] = {}
    for appointment in appointments:
        if appointment.pk in offered:
            continue
        if appointment.clinic_id not in free_times:
            free_times[appointment.clinic_id] = _next_free_times(leave, appointment.clinic)
        event = _appointment_event(
            appointment,
            recipient=appointment.patient,
            kind=Kind.DOCTOR_ON_LEAVE,
            key=f"leave:{leave.pk}",
        )
        event.values["slots"] = free_times[appointment.clinic_id]
        event.data["leave_id"] = leave.pk
        notify(event)


# --- the waitlist ------------------------------------------------------------------------------


def _day_and_time(moment: dt.datetime, zone: str) -> Callable[[], str]:
    local = moment.astimezone(ZoneInfo(zone))
    return lambda: f"{formats.date_format(local.date(), 'j F')} {local:%H:%M}"


def _waitlist_event(entry: WaitlistEntry, *, kind: str, key: str) -> Event:
    clinic = entry.clinic
    assert entry.offered_time is not None
    starts = dt.datetime.combine(entry.date, entry.offered_time, tzinfo=ZoneInfo(clinic.timezone))
    return Event(
        recipient=entry.patient,
        kind=kind,
        key=f"waitlist:{entry.pk}:{key}:{entry.date}:{entry.offered_time:%H%M}",
        subject=f"waitlist:{entry.pk}",
        zone=clinic.timezone,
        region=clinic.state,
        when=starts,
        values={"doctor": entry.doctor.user.name, "clinic": clinic.name},
        data={"waitlist_entry_id": entry.pk},
    )


def on_waitlist_offer_made(*, entry: WaitlistEntry, **_: Any) -> None:
    assert entry.offer_expires_at is not None
    event = _waitlist_event(entry, kind=Kind.WAITLIST_OFFER, key="offer")
    event.values["until"] = _day_and_time(entry.offer_expires_at, event.zone)
    event.valid_until = entry.offer_expires_at
    source = entry.source_appointment
    if source is not None:  # a leave cancelled their appointment: say so, with the offer
        event.kind = Kind.WAITLIST_LEAVE_OFFER
        event.when = source.starts_at
        event.values["slot"] = _day_and_time(
            dt.datetime.combine(entry.date, entry.offered_time or dt.time(), ZoneInfo(event.zone)),
            event.zone,
        )
        event.data["appointment_id"] = source.pk
    notify(event)


def on_waitlist_offer_expired(*, entry: WaitlistEntry, **_: Any) -> None:
    notify(_waitlist_event(entry, kind=Kind.WAITLIST_OFFER_EXPIRED, key="expired"))
