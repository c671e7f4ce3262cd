"""The booking's 201 is built from what the service wrote (`rows.appointment_written_payload`),
not read back: it must be, byte for byte, what reading the appointment answers (the mobile
client spec keeps every field and type), for the account's own profile and for dependents,
with a clock that ticks (timestamps with microseconds) and a doctor's fee and notes as typed."""

import datetime as dt

import pytest
import time_machine

from appointments.tests.conftest import BOOK_URL, NOW, booking_body
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticking(monday_window):
    with time_machine.travel(NOW + dt.timedelta(microseconds=123457), tick=True):
        yield


def _booked_then_read(client, body):
    booked = client.post(BOOK_URL, body, format="json")
    assert booked.status_code == 201, booked.content
    read = client.get(booked["Location"])
    assert read.status_code == 200, read.content
    return booked, read


def test_the_answer_to_a_booking_is_the_appointment_as_read(
    ticking, client_for, patient, doctor_profile
):
    client = client_for(patient)
    booked, read = _booked_then_read(client, booking_body(doctor_profile.pk))

    assert booked.content == read.content
    body = booked.json()
    assert body["history"][0]["actor"]["id"] == str(patient.pk)
    assert body["patient"]["contact"] is not None


@pytest.mark.parametrize(
    "profile",
    [
        {"name": "Aarav Sharma", "date_of_birth": dt.date(2019, 5, 1)},
        {"name": "Diya Sharma", "gender": "female", "stated_age": 4},
    ],
)
def test_the_answer_for_a_dependent_is_the_appointment_as_read(
    ticking, client_for, patient, doctor_profile, profile
):
    dependent = dependent_of(patient, **profile)
    client = client_for(patient)
    body = booking_body(
        doctor_profile.pk,
        patient_profile=str(dependent.pk),
        appointment_type="follow_up",
        notes="  fever, 3 days  ",
    )
    booked, read = _booked_then_read(client, body)

    assert booked.content == read.content
    assert booked.json()["patient"]["name"] == profile["name"]
