"""Fixtures of the doctors app: a controllable taken-times provider and doctor builders."""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from clinic.tests.factories import ClinicFactory, ClinicMemberFactory, ClinicTimeSlotFactory
from doctors import slots
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorProfileFactory


@pytest.fixture
def taken_times() -> Iterator[dict[tuple[int, dt.date], list[dt.time]]]:
    """Replace the registered provider: `taken_times[(doctor_id, date)] = [times]`."""
    table: dict[tuple[int, dt.date], list[dt.time]] = {}
    previous = slots._provider["taken_times"]
    slots.register_taken_times_provider(lambda doctor_id, date: table.get((doctor_id, date), []))
    yield table
    slots.register_taken_times_provider(previous)


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
