"""No slot hoarding: a patient holds at most MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR active future
appointments with one doctor (pending/confirmed, not yet started in the clinic's time)."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import NEXT_MONDAY, TODAY
from appointments.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def too_many(limit: int) -> dict:
    return {
        "message": f"You already hold {limit} upcoming appointments with this doctor, the most "
        "allowed; cancel one to book another.",
        "code": "too_many_active_appointments",
        "max_active_appointments": limit,
    }


def held(patient, doctor_profile, clinic, *, date=NEXT_MONDAY, time=dt.time(11, 0), **fields):
    return AppointmentFactory(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=date,
        appointment_time=time,
        **fields,
    )


def test_the_default_cap_is_20():
    from quickcare import settings as production

    assert production.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR == 20


def test_the_booking_beyond_the_cap_is_a_409(book, patient, settings):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 2
    assert book(patient, appointment_time="09:00").status_code == 201
    assert book(patient, appointment_time="09:15").status_code == 201

    response = book(patient, appointment_time="09:30")

    assert response.status_code == 409
    assert response.json() == too_many(2)
    assert Appointment.objects.filter(patient=patient).count() == 2


def test_twenty_active_appointments_with_one_doctor_are_the_default_most(
    book, patient, doctor_profile, clinic
):
    for week in range(1, 11):  # Mondays from 9 March on, two appointments each
        for time in (dt.time(11, 0), dt.time(11, 15)):
            held(patient, doctor_profile, clinic, date=TODAY + dt.timedelta(weeks=week), time=time)

    response = book(patient)

    assert response.status_code == 409
    assert response.json() == too_many(20)


@pytest.mark.parametrize("status", ["cancelled", "completed", "no_show"])
def test_finished_appointments_do_not_count(
    book, patient, doctor_profile, clinic, settings, status
):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    held(patient, doctor_profile, clinic, status=status)

    assert book(patient).status_code == 201


@pytest.mark.parametrize("status", ["pending", "confirmed"])
def test_pending_and_confirmed_future_appointments_count(
    book, patient, doctor_profile, clinic, settings, status
):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    held(patient, doctor_profile, clinic, status=status)

    assert book(patient).json() == too_many(1)


def test_an_appointment_whose_time_has_passed_does_not_count(
    book, patient, doctor_profile, clinic, settings
):
    """It is 08:00 in Jaipur: an unrecorded 07:30 visit today is past, a 12:00 one is not."""
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    earlier = held(
        patient, doctor_profile, clinic, date=TODAY, time=dt.time(7, 30), status="confirmed"
    )
    held(patient, doctor_profile, clinic, date=TODAY - dt.timedelta(days=7), status="confirmed")

    assert book(patient, appointment_time="09:00").status_code == 201

    Appointment.objects.filter(patient=patient, appointment_date=NEXT_MONDAY).delete()
    earlier.appointment_time = dt.time(12, 0)
    earlier.save()
    assert book(patient, appointment_time="09:00").json() == too_many(1)


def test_the_clinics_own_clock_decides_what_has_passed(
    book, patient, doctor_profile, clinic, settings
):
    """08:00 in Jaipur is 11:30 in Tokyo: a 10:00 Tokyo visit today has passed, though 10:00
    has not come yet in Jaipur (nor in UTC); an 11:45 one has not."""
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    clinic.timezone = "Asia/Tokyo"
    clinic.save(update_fields=["timezone"])
    passed = held(patient, doctor_profile, clinic, date=TODAY, time=dt.time(10, 0))

    assert book(patient).status_code == 201

    Appointment.objects.exclude(pk=passed.pk).delete()
    passed.appointment_time = dt.time(11, 45)
    passed.save()
    assert book(patient).json() == too_many(1)


def test_other_doctors_and_other_patients_do_not_count(
    book,
    patient,
    other_patient,
    doctor_profile,
    clinic,
    other_doctor_profile,
    other_clinic,
    settings,
):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    held(patient, other_doctor_profile, other_clinic)
    held(other_patient, doctor_profile, clinic)

    assert book(patient).status_code == 201
    assert book(patient, appointment_time="09:45").json() == too_many(1)


def test_appointments_at_the_doctors_former_clinic_count(
    book, patient, doctor_profile, other_clinic, settings
):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    held(patient, doctor_profile, other_clinic)

    assert book(patient).json() == too_many(1)


def test_cancelling_one_makes_room_for_another(client_for, book, patient, settings):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    first = book(patient, appointment_time="09:00").json()
    assert book(patient).status_code == 409

    cancel = client_for(patient).patch(
        f"/api/appointments/my/{first['id']}/", {"status": "cancelled"}, format="json"
    )

    assert cancel.status_code == 200
    assert book(patient).status_code == 201
