"""Object rules for doctors' own data."""

from typing import Any

from doctors.models import DoctorProfile


def can_manage_availability(*, user: Any, doctor: DoctorProfile) -> bool:
    """Only the doctor themself sets their weekly windows (not the clinic, not another doctor)."""
    return bool(user.is_authenticated) and doctor.user_id == user.pk
