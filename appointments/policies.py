"""Object rules for appointments (who may act on which one)."""

from appointments.models import Appointment
from clinic.models import Clinic
from users.models import User


def can_book_appointment(*, user: User) -> bool:
    """A capability, not a role: any account acting as a patient (users.acting)."""
    return user.can_act_as_patient()


def can_cancel_appointment(*, user: User, appointment: Appointment) -> bool:
    return appointment.patient_id == user.pk


def can_update_appointment(*, user: User, appointment: Appointment) -> bool:
    return appointment.doctor.user_id == user.pk


def can_view_clinic_dashboard(*, user: User, clinic: Clinic) -> bool:
    return clinic.owner_id == user.pk
