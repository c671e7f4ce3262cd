"""Appointment fixtures: a pinned clock (Monday 2 March 2026, 08:00 in Jaipur) and a doctor
who sees patients on Mondays 09:00-13:00 in 15-minute slots at the `clinic`."""

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from doctors.tests.factories import DoctorAvailabilityFactory

IST = ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=IST)  # a Monday
TODAY = NOW.date()
NEXT_MONDAY = dt.date(2026, 3, 9)
BOOK_URL = "/api/appointments/my/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands still at NOW; `clock.move_to(...)` jumps (make API clients afterwards:
    access tokens live 15 minutes)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def monday_window(clock, doctor_profile, clinic):
    return DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
        max_patients=20,
    )


def booking_body(doctor_id: int, **overrides) -> dict:
    body = {
        "doctor": doctor_id,
        "appointment_date": NEXT_MONDAY.isoformat(),
        "appointment_time": "09:30",
        "appointment_type": "first_visit",
        "mode": "in_clinic",
        "notes": "Chest pain since 2 days",
    }
    body.update(overrides)
    return body


@pytest.fixture
def book(client_for, monday_window, doctor_profile) -> Callable:
    """book(user, **body overrides) -> the response of POST /api/appointments/my/."""

    def do(user, **overrides):
        return client_for(user).post(
            BOOK_URL, booking_body(doctor_profile.pk, **overrides), format="json"
        )

    return do
