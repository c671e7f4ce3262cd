"""Cancelling and the doctor's status changes: the rules, each in one transaction. Booking is
in `appointments.booking` (its names are also here, where callers have always found them),
the recording of every status change in `appointments.history`."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments.booking import (
    appointment_book,
    booking_profile,
    doctor_active_clinic,
    next_free_slots,
)
from appointments.freed import announce_slot_freed
from appointments.history import history_written, record_change
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    QueueState,
)
from appointments.policies import (
    can_cancel_appointment,
    can_update_appointment,
)
from core.error_codes import ErrorCode
from core.exceptions import InvalidState, NotPermitted
from doctors.models import DoctorProfile
from users.models import User

S = AppointmentStatus


def _hhmm(moment: dt.time) -> str:
    return moment.strftime("%H:%M")


# The doctor's state machine: from -> the states it may move to (in the order shown to clients).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PENDING: (S.CONFIRMED, S.CANCELLED),
    S.CONFIRMED: (S.COMPLETED, S.CANCELLED, S.NO_SHOW),
    S.COMPLETED: (),
    S.CANCELLED: (),
    S.NO_SHOW: (),
}


def _has_started(appointment: Appointment) -> bool:
    return appointment.starts_at <= timezone.now()


def _lock(appointment: Appointment) -> Appointment:
    # The doctor's row first, as booking does: every write to a doctor's day (booking,
    # cancelling, the waitlist offers a cancel makes, a leave) takes its locks in one order,
    # doctor -> appointment -> waitlist entry, so none can deadlock another.
    DoctorProfile.objects.select_for_update().filter(pk=appointment.doctor_id).first()
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    locked.clinic = appointment.clinic  # already loaded; the clinic of a booking never changes
    return locked


def appointment_cancel_by_patient(
    *, appointment: Appointment, patient: User, reason: str = ""
) -> Appointment:
    """The patient cancels their own pending/confirmed appointment before it starts; the slot
    is free again at once (the uniqueness constraints only cover pending/confirmed)."""
    if not can_cancel_appointment(user=patient, appointment=appointment):
        raise NotPermitted("You can only cancel your own appointments.")
    with transaction.atomic():
        locked = _lock(appointment)
        status = locked.status
        if locked.status not in ACTIVE_STATUSES:
            raise InvalidState(
                f"This appointment is {locked.status}; only pending or confirmed appointments "
                "can be cancelled.",
                code=ErrorCode.NOT_CANCELLABLE,
            )
        if _has_started(locked):
            raise InvalidState(
                "This appointment has already started and can no longer be cancelled.",
                code=ErrorCode.APPOINTMENT_STARTED,
            )
        _transition(locked, to=S.CANCELLED, actor=patient, reason=reason)
        save_and_announce(locked, fields=["status", "cancellation_reason"], from_status=status)
    return locked


def _transition(appointment: Appointment, *, to: str, actor: User | None, reason: str = "") -> None:
    from_status = appointment.status
    appointment.status = to
    if to == S.CANCELLED:
        appointment.cancellation_reason = reason
    record_change(appointment=appointment, actor=actor, from_status=from_status, reason=reason)


def _outcome_allowed_from(appointment: Appointment, *, to: str) -> dt.datetime | None:
    """When the doctor may record an outcome (None: no time rule). `completed` from the start
    of the appointment's clinic-local day: patients arrive early and are seen early. `no_show`
    only once its time plus the grace period has passed: a patient may be a little late."""
    if to == S.COMPLETED:
        zone = ZoneInfo(appointment.clinic.timezone)
        return dt.datetime.combine(appointment.appointment_date, dt.time(0), tzinfo=zone)
    if to == S.NO_SHOW:
        # Added in UTC: aware arithmetic in a zone is wall-clock arithmetic, wrong across DST.
        grace = dt.timedelta(minutes=settings.NO_SHOW_GRACE_MINUTES)
        return appointment.starts_at.astimezone(dt.UTC) + grace
    return None


def _allowed_now(appointment: Appointment, *, now: dt.datetime) -> list[str]:
    """The table's next states for this appointment that its time already permits."""
    allowed = []
    for target in TRANSITIONS[appointment.status]:
        allowed_from = _outcome_allowed_from(appointment, to=target)
        if allowed_from is None or allowed_from <= now:
            allowed.append(target)
    return allowed


def _not_started_message(appointment: Appointment, *, to: str) -> str:
    if to == S.COMPLETED:
        return (
            f"An appointment can only be marked {to} from its day "
            f"({appointment.appointment_date.isoformat()}, clinic time)."
        )
    return (
        f"An appointment can only be marked {to} once {settings.NO_SHOW_GRACE_MINUTES} minutes "
        f"have passed since its start ({_hhmm(appointment.appointment_time)}, clinic time)."
    )


def _check_doctor_transition(appointment: Appointment, *, to: str, now: dt.datetime) -> None:
    if to not in TRANSITIONS[appointment.status]:
        raise InvalidState(
            f"An appointment that is {appointment.status} cannot be changed to {to}.",
            code=ErrorCode.INVALID_TRANSITION,
            allowed_transitions=_allowed_now(appointment, now=now),
        )
    allowed_from = _outcome_allowed_from(appointment, to=to)
    if allowed_from is not None and now < allowed_from:
        zone = ZoneInfo(appointment.clinic.timezone)
        raise InvalidState(
            _not_started_message(appointment, to=to),
            code=ErrorCode.APPOINTMENT_NOT_STARTED,
            allowed_transitions=_allowed_now(appointment, now=now),
            allowed_from=allowed_from.astimezone(zone).isoformat(timespec="seconds"),
        )


def appointment_update_by_doctor(
    *,
    appointment: Appointment,
    doctor_user: User,
    status: str | None = None,
    reason: str = "",
    doctor_notes: str | None = None,
    is_paid: bool | None = None,
) -> Appointment:
    """The doctor moves the appointment along TRANSITIONS and keeps notes and payment.
    Sending the current status again is a no-op (so a form can resend it with its notes)."""
    if not can_update_appointment(user=doctor_user, appointment=appointment):
        raise NotPermitted("You can only update your own appointments.")
    with transaction.atomic():
        locked = _lock(appointment)
        from_status = locked.status
        fields = ["updated_at"]
        if status is not None and status != locked.status:
            _check_doctor_transition(locked, to=status, now=timezone.now())
            _transition(locked, to=status, actor=doctor_user, reason=reason)
            fields += ["status", "cancellation_reason"]
            if status == S.COMPLETED and locked.queue_state == QueueState.IN_CONSULTATION:
                # Finished here instead of the queue's finish: the queue records the end too.
                locked.queue_state, locked.finished_at = QueueState.DONE, timezone.now()
                fields += ["queue_state", "finished_at"]
        if doctor_notes is not None:
            locked.doctor_notes = doctor_notes
            fields.append("doctor_notes")
        if is_paid is not None:
            locked.is_paid = is_paid
            fields.append("is_paid")
        save_and_announce(locked, fields=fields, from_status=from_status)
    return locked


def appointment_transition(
    *, appointment: Appointment, to: str, actor: User | None, reason: str = ""
) -> None:
    """Move a locked appointment along TRANSITIONS (with its time rules) and save it: for the
    queue (check-in confirms, finishing completes) and the no-show sweep (`actor` None: the
    system). The caller holds the row lock and the transaction."""
    from_status = appointment.status
    _check_doctor_transition(appointment, to=to, now=timezone.now())
    _transition(appointment, to=to, actor=actor, reason=reason)
    save_and_announce(
        appointment, fields=["status", "cancellation_reason"], from_status=from_status
    )


def save_and_announce(appointment: Appointment, *, fields: list[str], from_status: str) -> None:
    """Save the changed fields; an appointment leaving pending/confirmed frees its slot, and
    `appointments.freed` says so (the waitlist offers it in this transaction)."""
    appointment.save(update_fields=list(dict.fromkeys([*fields, "updated_at"])))
    if from_status in ACTIVE_STATUSES and appointment.status not in ACTIVE_STATUSES:
        announce_slot_freed(
            doctor_id=appointment.doctor_id,
            dates=[appointment.appointment_date],
            cause=f"appointment {appointment.status}",
        )


# The names `appointments.reschedule` and the leave resolution (`appointments.leaves`) use.
has_started = _has_started
lock_appointment = _lock
transition = _transition


__all__ = [
    "appointment_book",
    "booking_profile",
    "doctor_active_clinic",
    "history_written",
    "next_free_slots",
]
