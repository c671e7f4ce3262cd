"""Object rules for appointments (who may act on which one)."""

from appointments.models import Appointment
from clinic.models import Clinic, ClinicMember, MemberRole, MemberStatus
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


def is_front_desk(*, user: User, clinic: Clinic) -> bool:
    """The clinic's owner, or one of its active receptionists."""
    if clinic.owner_id == user.pk:
        return True
    return ClinicMember.objects.filter(
        clinic=clinic,
        user=user,
        member_role=MemberRole.RECEPTIONIST,
        status=MemberStatus.ACTIVE,
    ).exists()


def can_reschedule_appointment(*, user: User, appointment: Appointment) -> bool:
    """The patient, the appointment's doctor, or the clinic's front desk (owner, receptionist)."""
    if appointment.patient_id == user.pk or appointment.doctor.user_id == user.pk:
        return True
    return is_front_desk(user=user, clinic=appointment.clinic)
