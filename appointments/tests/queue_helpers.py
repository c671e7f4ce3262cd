"""Shared setup of the queue tests: the pinned Monday (appointments/tests/conftest.py) at 10:02
in Jaipur, inside Dr. Yadav's 09:00-13:00 session of 15-minute slots."""

import datetime as dt

from appointments.tests.conftest import IST, TODAY
from appointments.tests.factories import AppointmentFactory

WALK_IN_URL = "/api/appointments/walk-in/"
QUEUE_URL = "/api/appointments/queue/"
NEXT_URL = "/api/appointments/doctor/queue/next/"
OPD_NOW = dt.datetime(2026, 3, 2, 10, 2, tzinfo=IST)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(hour, minute), tzinfo=IST)


def check_in_url(appointment_id: int) -> str:
    return f"/api/appointments/{appointment_id}/check-in/"


def skip_url(appointment_id: int) -> str:
    return f"/api/appointments/{appointment_id}/queue/skip/"


def start_url(appointment_id: int) -> str:
    return f"/api/appointments/doctor/{appointment_id}/queue/start/"


def finish_url(appointment_id: int) -> str:
    return f"/api/appointments/doctor/{appointment_id}/queue/finish/"


def my_queue_url(appointment_id: int) -> str:
    return f"/api/appointments/my/{appointment_id}/queue/"


def booked(doctor_profile, clinic, *, hour: int, minute: int, patient=None, status="confirmed"):
    """A booking for today (built directly: the slot may be in the past by now)."""
    extra = {"patient": patient} if patient is not None else {}
    return AppointmentFactory(
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=TODAY,
        appointment_time=dt.time(hour, minute),
        status=status,
        **extra,
    )
