"""Reschedule as one operation: book the new time and cancel the old one in one transaction.

The new appointment is booked by `services.appointment_book` (the doctor's row lock, capacity,
the anti-hoarding cap, the partial unique constraints, waitlist holds): nothing here repeats a
check. The old one is cancelled only after the booking succeeded, so a taken target raises
the booking's 409 (with the next free slots) and rolls back before the old appointment is
touched. The new one is for the same patient profile as the old one (the holder account may
move a dependent's visit; it stays the dependent's). The two point at each other
(`rescheduled_from` / `rescheduled_to`) and both histories record the move. The freed old
time goes to the waitlist (`appointments.freed`).
"""

import datetime as dt

from django.db import transaction

from appointments import services
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentStatus
from appointments.policies import can_reschedule_appointment
from core.error_codes import ErrorCode
from core.exceptions import InvalidState, NotPermitted
from users.models import User

S = AppointmentStatus


def _check_reschedulable(appointment: Appointment, *, date: dt.date, moment: dt.time) -> None:
    if appointment.status not in ACTIVE_STATUSES:
        raise InvalidState(
            f"This appointment is {appointment.status}; only pending or confirmed appointments "
            "can be rescheduled.",
            code=ErrorCode.NOT_CANCELLABLE,
        )
    if services.has_started(appointment):
        raise InvalidState(
            "This appointment has already started and can no longer be rescheduled.",
            code=ErrorCode.APPOINTMENT_STARTED,
        )
    if (appointment.appointment_date, appointment.appointment_time) == (date, moment):
        raise InvalidState(
            "The appointment is already at this date and time; choose another slot.",
            code=ErrorCode.RESCHEDULE_SAME_TIME,
        )


def appointment_reschedule(
    *, appointment: Appointment, actor: User, appointment_date: dt.date, appointment_time: dt.time
) -> Appointment:
    """Move the appointment to a free slot of the same doctor; returns the new appointment.

    The new one copies type, mode and the patient's notes (the fee follows the type); the
    doctor's notes and payment stay with the old visit. Booked by the patient it is pending
    (the clinic confirms the new time); moved by the doctor or the front desk, a confirmed
    appointment stays confirmed (the clinic chose the time).
    """
    if not can_reschedule_appointment(user=actor, appointment=appointment):
        raise NotPermitted("You cannot reschedule this appointment.")
    with transaction.atomic():
        old = services.lock_appointment(appointment)
        _check_reschedulable(old, date=appointment_date, moment=appointment_time)
        new = services.appointment_book(
            patient=old.patient,
            # The same person: a parent moving a child's visit keeps it the child's, and the
            # child's own rules apply (their time clash, their allowance with the doctor).
            patient_profile=old.patient_profile_id,
            doctor_id=old.doctor_id,
            appointment_date=appointment_date,
            appointment_time=appointment_time,
            appointment_type=old.appointment_type,
            mode=old.mode,
            notes=old.notes,
            actor=actor,
            reason=f"rescheduled from #{old.pk}",
            rescheduled_from=old,
        )
        from_status = old.status
        old.rescheduled_to = new
        services.transition(old, to=S.CANCELLED, actor=actor, reason=f"rescheduled to #{new.pk}")
        services.save_and_announce(
            old, fields=["status", "cancellation_reason", "rescheduled_to"], from_status=from_status
        )
        if from_status == S.CONFIRMED and actor.pk != old.patient_id:
            services.transition(new, to=S.CONFIRMED, actor=actor, reason="rescheduled")
            new.save(update_fields=["status", "updated_at"])
    return new
