"""Queue reads for a family (issues 13 and 14): the account holding a dependent's appointment
sees its place in the queue (a staff holder too: the gate asks for the capability), nobody
else does; the staff queue names the person being seen."""

import datetime as dt

import pytest

from appointments.tests.queue_helpers import (
    OPD_NOW,
    QUEUE_URL,
    WALK_IN_URL,
    check_in_url,
    my_queue_url,
)
from users.tests.factories import LabMemberFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd(clock, monday_window):
    clock.move_to(OPD_NOW)
    return monday_window


def take_walk_in(client, doctor_profile, holder, profile):
    body = {
        "doctor": doctor_profile.pk,
        "contact": str(holder.contact),
        "patient_profile": str(profile.pk),
    }
    response = client.post(WALK_IN_URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_holder_of_a_dependents_appointment_sees_its_place(
    opd, client_for, receptionist, doctor_profile, patient, other_patient
):
    child = dependent_of(patient, name="Aarav Sharma")
    desk = client_for(receptionist)
    appointment_id = take_walk_in(desk, doctor_profile, patient, child)

    response = client_for(patient).get(my_queue_url(appointment_id))

    assert response.status_code == 200, response.json()
    assert (response.json()["token"], response.json()["position"]) == (1, 1)
    assert client_for(other_patient).get(my_queue_url(appointment_id)).status_code == 404


def test_a_staff_holder_who_acts_as_a_patient_sees_their_childs_place(
    opd, client_for, receptionist, doctor_profile, book
):
    """A lab member (of no clinic here) with patient care on, whose child is booked today:
    the patient gate asks for the capability, not the patient role."""
    parent = LabMemberFactory(name="Ravi Lab")
    client_for(parent).post("/api/users/me/patient-profile/")
    child = dependent_of(parent, name="Kavya")
    booked = book(
        parent,
        appointment_date="2026-03-02",
        appointment_time="10:30",
        patient_profile=str(child.pk),
    )
    assert booked.status_code == 201, booked.json()
    appointment_id = booked.json()["id"]
    client_for(receptionist).post(check_in_url(appointment_id))

    response = client_for(parent).get(my_queue_url(appointment_id))

    assert response.status_code == 200, response.json()
    assert response.json()["queue_state"] == "waiting"
    queue = client_for(receptionist).get(QUEUE_URL, {"doctor": doctor_profile.pk}).json()
    assert [entry["patient"]["name"] for entry in queue["entries"]] == ["Kavya"]


def test_the_staff_queue_names_each_child_of_one_account(
    opd, client_for, receptionist, doctor_profile, patient
):
    desk = client_for(receptionist)
    for name in ("Aarav Sharma", "Diya Sharma"):
        take_walk_in(desk, doctor_profile, patient, dependent_of(patient, name=name))
    take_walk_in(desk, doctor_profile, patient, patient.patient_profiles.get(relation="self"))

    entries = desk.get(QUEUE_URL, {"doctor": doctor_profile.pk}).json()["entries"]

    assert [(e["token"], e["patient"]["name"]) for e in entries] == [
        (1, "Aarav Sharma"),
        (2, "Diya Sharma"),
        (3, "Rahul Sharma"),
    ]
    assert {e["patient"]["id"] for e in entries} == {str(patient.pk)}
    assert len({e["patient_profile"]["id"] for e in entries}) == 3
    assert dt.datetime.fromisoformat(entries[0]["arrived_at"]) == OPD_NOW
