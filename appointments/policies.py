"""Object rules for appointments (who may act on which one)."""

from appointments.models import Appointment
from clinic.models import Clinic
from core.roles import RoleId
from users.models import User


def can_book_appointment(*, user: User) -> bool:
    return user.role_id == RoleId.PATIENT


def can_cancel_appointment(*, user: User, appointment: Appointment) -> bool:
    return appointment.patient_id == user.pk


def can_update_appointment(*, user: User, appointment: Appointment) -> bool:
    return appointment.doctor.user_id == user.pk


def can_view_clinic_dashboard(*, user: User, clinic: Clinic) -> bool:
    return clinic.owner_id == user.pk
