"""One person cannot be booked twice at one time, even racing (PostgreSQL): the holder books
the same child with two doctors at 10:00 from two threads; the (patient profile, date, time)
constraint lets exactly one through, while two children of that holder racing for the same
time with the two doctors both get theirs."""

import datetime as dt
from collections import Counter

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import booking_body
from appointments.tests.test_concurrency import RACE, race_bookings
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorProfileFactory
from users.tests.profiles_helpers import dependent_of


def _second_doctor():
    doctor = DoctorProfileFactory()
    clinic = ClinicFactory()
    ClinicMemberFactory(clinic=clinic, user=doctor.user, member_role="doctor")
    DoctorAvailabilityFactory(
        doctor=doctor,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
    )
    return doctor


@pytest.mark.postgres
@RACE
def test_one_child_racing_two_doctors_at_one_time_gets_one(
    clock, monday_window, doctor_profile, patient
):
    other = _second_doctor()
    child = str(dependent_of(patient).pk)
    bodies = [
        booking_body(doctor.pk, appointment_time="10:00", patient_profile=child)
        for doctor in (doctor_profile, other)
    ]
    codes = race_bookings([(patient, body) for body in bodies])
    assert Counter(codes) == {201: 1, 409: 1}
    assert Appointment.objects.filter(patient_profile_id=child).count() == 1


@pytest.mark.postgres
@RACE
def test_two_children_racing_two_doctors_at_one_time_get_both(
    clock, monday_window, doctor_profile, patient
):
    other = _second_doctor()
    children = [str(dependent_of(patient, name=name).pk) for name in ("Aarav", "Diya")]
    bodies = [
        booking_body(doctor.pk, appointment_time="10:00", patient_profile=child)
        for doctor, child in zip((doctor_profile, other), children, strict=True)
    ]
    codes = race_bookings([(patient, body) for body in bodies])
    assert codes == [201, 201]
    assert Appointment.objects.filter(patient=patient).count() == 2
