"""An appointment's status changes: the history row, the `appointment_status_changed` signal
(notifications write their outbox rows on it) and the audit event, together in the writer's
transaction. Every status change, the booking's first one included, is recorded here."""

from appointments.models import Appointment, AppointmentStatusChange
from appointments.signals import appointment_status_changed
from audit.models import AuditCategory
from audit.services import LockedChain
from audit.services import record as audit_record
from users.models import User

_HISTORY_WRITTEN = "_history_written"


def history_written(appointment: Appointment) -> list[AppointmentStatusChange]:
    """The history rows this instance had written through `record_change`, in order (for a
    booking just made: its whole history)."""
    return list(appointment.__dict__.get(_HISTORY_WRITTEN, []))


def record_change(
    *,
    appointment: Appointment,
    actor: User | None,
    from_status: str,
    reason: str = "",
    locked_chain: LockedChain | None = None,
    stored: AppointmentStatusChange | None = None,
) -> None:
    """The history row, the signal and the audit event; `actor` None is the system (e.g. the
    no-show sweep), shown in the history as a null actor with the reason saying why. The rows
    written stay on the instance (`history_written`) for answering without reading them back.
    `stored`: the history row, already stored with the appointment (a booking's first)."""
    change = stored or AppointmentStatusChange.objects.create(
        appointment=appointment,
        actor=actor,
        from_status=from_status,
        to_status=appointment.status,
        reason=reason,
    )
    written = appointment.__dict__.setdefault(_HISTORY_WRITTEN, [])
    written.append(change)
    appointment_status_changed.send(
        sender=Appointment,
        appointment=appointment,
        actor=actor,
        from_status=from_status,
        reason=reason,
    )
    audit_record(
        locked=[locked_chain] if locked_chain is not None else [],
        patient_id=appointment.patient_profile_id,  # the chain of the person seen
        category=AuditCategory.APPOINTMENT,
        action="status_changed",
        actor_id=actor.pk if actor is not None else None,
        data={
            "appointment": appointment.pk,
            "from": from_status,
            "to": appointment.status,
            "doctor": appointment.doctor_id,
            "clinic": appointment.clinic_id,
        },
    )
