"""Reschedule for a dependent (issues 13 and 14): the holder moves a child's appointment; the
new one stays the child's, and the child's own rules apply, never the parent's."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.services import appointment_book
from appointments.tests.conftest import NEXT_MONDAY
from doctors.tests.factories import DoctorAvailabilityFactory
from users.tests.factories import DoctorUserFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


def my_url(appointment_id: int) -> str:
    return f"/api/appointments/my/{appointment_id}/reschedule/"


def to(time: str) -> dict:
    return {"appointment_date": NEXT_MONDAY.isoformat(), "appointment_time": time}


@pytest.fixture
def child(patient):
    return dependent_of(patient, name="Aarav Sharma", date_of_birth=dt.date(2019, 5, 1))


@pytest.fixture
def childs_visit(book, patient, child):
    response = book(patient, appointment_time="09:30", patient_profile=str(child.pk))
    assert response.status_code == 201, response.json()
    return Appointment.objects.get(pk=response.json()["id"])


@pytest.fixture
def elsewhere(other_doctor_profile, other_clinic):
    """A second doctor who also sees patients on Monday mornings."""
    DoctorAvailabilityFactory(
        doctor=other_doctor_profile,
        clinic=other_clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
    )
    return other_doctor_profile


def test_a_parent_moves_a_childs_appointment_and_it_stays_the_childs(
    client_for, patient, child, childs_visit, elsewhere
):
    # The parent's own visit elsewhere at 10:00 is no clash for the child.
    appointment_book(
        patient=patient,
        doctor_id=elsewhere.pk,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(10, 0),
    )

    response = client_for(patient).post(my_url(childs_visit.pk), to("10:00"), format="json")

    assert response.status_code == 201, response.json()
    new = Appointment.objects.get(pk=response.json()["id"])
    assert (new.patient_id, new.patient_profile_id) == (patient.pk, child.pk)
    assert response.json()["patient"]["name"] == "Aarav Sharma"
    listing = client_for(patient).get("/api/appointments/my/").json()
    moved = next(item for item in listing if item["id"] == new.pk)
    assert moved["patient_profile"] == {"id": str(child.pk), "name": "Aarav Sharma"}


def test_the_childs_own_time_clash_refuses_the_move(
    client_for, patient, child, childs_visit, elsewhere
):
    appointment_book(
        patient=patient,
        doctor_id=elsewhere.pk,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(10, 30),
        patient_profile=child.pk,
    )

    response = client_for(patient).post(my_url(childs_visit.pk), to("10:30"), format="json")

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "patient_already_booked"
    assert Appointment.objects.get(pk=childs_visit.pk).status == "pending"


def test_the_childs_allowance_with_the_doctor_is_the_childs(
    book, client_for, patient, child, childs_visit, settings
):
    # The parent holds their own allowance with the doctor; the child at the cap can move.
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1
    assert book(patient, appointment_time="11:00").status_code == 201

    response = client_for(patient).post(my_url(childs_visit.pk), to("10:00"), format="json")

    assert response.status_code == 201, response.json()
    assert Appointment.objects.get(pk=response.json()["id"]).patient_profile_id == child.pk


def test_staff_who_hold_a_dependent_move_its_appointment_too(
    book, client_for, monday_window, doctor_profile
):
    """A doctor (of another clinic) who turned patient care on books for their child and
    moves it: the reschedule gate asks for the capability, not the patient role."""
    parent = DoctorUserFactory()
    client_for(parent).post("/api/users/me/patient-profile/")
    kid = dependent_of(parent, name="Ira Rao")
    booked = book(parent, appointment_time="09:45", patient_profile=str(kid.pk))
    assert booked.status_code == 201, booked.json()

    response = client_for(parent).post(my_url(booked.json()["id"]), to("10:15"), format="json")

    assert response.status_code == 201, response.json()
    assert Appointment.objects.get(pk=response.json()["id"]).patient_profile_id == kid.pk


def test_the_doctor_is_told_the_childs_name_when_the_parent_moves_it(
    client_for, doctor, patient, childs_visit
):
    from notifications.models import Kind, Notification

    client_for(patient).post(my_url(childs_visit.pk), to("10:00"), format="json")

    notice = Notification.objects.get(
        recipient=doctor, kind=Kind.APPOINTMENT_RESCHEDULED_DOCTOR, channel="inapp"
    )
    assert notice.body == (
        "QuickCare: Aarav Sharma moved their appointment with you to 9 March 2026 at 10:00."
    )
