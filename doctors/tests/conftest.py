"""Fixtures of the doctors app: controllable taken times and doctor builders."""

import datetime as dt
from collections.abc import Callable

import pytest

import appointments.slots
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory, ClinicTimeSlotFactory
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorProfileFactory


@pytest.fixture
def taken_times(monkeypatch) -> dict[tuple[int, dt.date], list[dt.time]]:
    """Stand in for the appointments read: `taken_times[(doctor_id, date)] = [times]`."""
    table: dict[tuple[int, dt.date], list[dt.time]] = {}

    def taken(*, doctor_id: int, date: dt.date) -> list[dt.time]:
        return table.get((doctor_id, date), [])

    monkeypatch.setattr(appointments.slots, "doctor_taken_times", taken)
    return table


@pytest.fixture
def make_doctor(db) -> Callable[..., object]:
    """make_doctor(clinic=..., name=..., **profile) -> an active doctor member of the clinic."""

    def make(*, clinic=None, name="Dr. Test", department="General Medicine", **profile):
        clinic = clinic or ClinicFactory()
        doctor = DoctorProfileFactory(user__name=name, **profile)
        ClinicMemberFactory(
            clinic=clinic, user=doctor.user, member_role="doctor", department=department
        )
        return doctor

    return make


@pytest.fixture
def monday_window(doctor_profile, clinic):
    """Dr. Suresh Yadav at City Care Clinic, Mondays 09:00-13:00, 15 minutes, 20 patients."""
    return DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=0)


@pytest.fixture
def clinic_monday_slot(clinic):
    return ClinicTimeSlotFactory(
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        slot_duration_minutes=30,
        max_appointments=10,
    )
