"""Booking for dependents (issue 13): the holder books for each of their profiles; the
integrity rules count per person; doctors see the person, never the rest of the family."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.services import appointment_book
from appointments.tests.conftest import BOOK_URL, NEXT_MONDAY
from core.exceptions import NotFound
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(patient):
    return (
        dependent_of(patient, name="Aarav Sharma", date_of_birth=dt.date(2019, 5, 1)),
        dependent_of(patient, name="Diya Sharma", gender="female", stated_age=4),
    )


def test_a_parent_books_two_children_with_the_same_doctor_on_the_same_day(
    book, patient, children, client_for
):
    aarav, diya = children
    first = book(patient, appointment_time="10:00", patient_profile=str(aarav.pk))
    second = book(patient, appointment_time="10:15", patient_profile=str(diya.pk))

    assert first.status_code == 201, first.content
    assert second.status_code == 201, second.content
    rows = Appointment.objects.order_by("appointment_time")
    assert [(a.patient_id, a.patient_profile_id) for a in rows] == [
        (patient.pk, aarav.pk),
        (patient.pk, diya.pk),
    ]
    listing = client_for(patient).get(BOOK_URL).json()
    assert [item["patient_profile"] for item in listing] == [
        {"id": str(aarav.pk), "name": "Aarav Sharma"},
        {"id": str(diya.pk), "name": "Diya Sharma"},
    ]


def test_two_profiles_of_one_account_may_hold_the_same_time_with_two_doctors(
    patient, children, monday_window, other_doctor_profile, other_clinic
):
    from doctors.tests.factories import DoctorAvailabilityFactory

    DoctorAvailabilityFactory(
        doctor=other_doctor_profile,
        clinic=other_clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
    )
    common = {"appointment_date": NEXT_MONDAY, "appointment_time": dt.time(10, 0)}
    appointment_book(patient=patient, doctor_id=monday_window.doctor_id, **common)
    appointment_book(
        patient=patient,
        doctor_id=other_doctor_profile.pk,
        patient_profile=children[0].pk,
        **common,
    )
    assert Appointment.objects.count() == 2


def test_one_profile_still_cannot_hold_two_appointments_at_one_time(
    book, patient, children, other_doctor_profile, other_clinic, client_for
):
    from doctors.tests.factories import DoctorAvailabilityFactory

    DoctorAvailabilityFactory(
        doctor=other_doctor_profile,
        clinic=other_clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
    )
    aarav = str(children[0].pk)
    assert book(patient, appointment_time="10:00", patient_profile=aarav).status_code == 201
    again = client_for(patient).post(
        BOOK_URL,
        {
            "doctor": other_doctor_profile.pk,
            "appointment_date": NEXT_MONDAY.isoformat(),
            "appointment_time": "10:00",
            "patient_profile": aarav,
        },
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "patient_already_booked"


def test_the_active_cap_counts_per_profile(book, patient, children, settings):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    assert book(patient, appointment_time="10:00").status_code == 201
    capped = book(patient, appointment_time="10:30")
    assert capped.status_code == 409
    assert capped.json()["code"] == "too_many_active_appointments"
    child = book(patient, appointment_time="10:30", patient_profile=str(children[0].pk))
    assert child.status_code == 201


def test_booking_for_someone_elses_profile_is_404(book, patient, other_patient):
    theirs = dependent_of(other_patient, name="Someone Else")
    response = book(patient, patient_profile=str(theirs.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "patient_profile_not_found"
    assert not Appointment.objects.exists()
    with pytest.raises(NotFound):
        appointment_book(
            patient=patient,
            doctor_id=1,
            appointment_date=NEXT_MONDAY,
            appointment_time=dt.time(10, 0),
            patient_profile=other_patient.pk,  # their own profile: not mine either
        )


def test_without_patient_profile_the_booking_is_for_the_account_itself(book, patient):
    response = book(patient)
    assert response.status_code == 201
    body = response.json()
    assert "patient_profile" not in body  # the booking answer keeps its shape
    assert Appointment.objects.get().patient_profile_id == patient.pk  # self id = account id


def test_the_doctor_sees_the_childs_name_age_and_gender_only(
    book, patient, children, doctor, client_for
):
    diya = children[1]
    book(patient, appointment_time="10:00", patient_profile=str(diya.pk))

    (item,) = client_for(doctor).get("/api/appointments/doctor/").json()
    assert item["patient"] == {
        "id": str(patient.pk),
        "name": "Diya Sharma",
        "contact": item["patient"]["contact"],
        "gender": "female",
        "age": 4,
    }
    assert "Rahul" not in str(item)
