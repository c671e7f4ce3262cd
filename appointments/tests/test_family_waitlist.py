"""The waitlist for dependents (issues 13 and 14): an entry is for a patient profile of the
account that joins; one open entry per person (two children may wait for the same doctor and
day); the hold is that person's: accepting books for them, and the parent cannot spend it on
another child or on themselves; a leave's `reschedule_offer` waitlists the displaced person."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.services import appointment_book
from appointments.tests.conftest import NEXT_MONDAY
from appointments.waitlist.models import WaitlistEntry
from core.exceptions import Conflict
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db
URL = "/api/appointments/waitlist/"
FOLLOWING_MONDAY = dt.date(2026, 3, 16)


@pytest.fixture
def children(patient):
    return (
        dependent_of(patient, name="Aarav Sharma", date_of_birth=dt.date(2019, 5, 1)),
        dependent_of(patient, name="Diya Sharma", gender="female", stated_age=4),
    )


@pytest.fixture
def taken(book, other_patient):
    """09:30 next Monday is booked by `other_patient`."""
    response = book(other_patient)
    assert response.status_code == 201
    return Appointment.objects.get(pk=response.json()["id"])


@pytest.fixture
def join(client_for, doctor_profile):
    """join(user, profile=None) -> response of waiting for 09:30 next Monday."""

    def do(user, profile=None, **extra):
        body = {
            "doctor": doctor_profile.pk,
            "date": NEXT_MONDAY.isoformat(),
            "from_time": "09:30",
            "to_time": "09:30",
            **extra,
        }
        if profile is not None:
            body["patient_profile"] = str(profile.pk)
        return client_for(user).post(URL, body, format="json")

    return do


def cancel(client_for, appointment):
    response = client_for(appointment.patient).patch(
        f"/api/appointments/my/{appointment.pk}/", {"status": "cancelled"}, format="json"
    )
    assert response.status_code == 200


def test_two_children_wait_for_the_same_doctor_and_day(client_for, join, patient, children, taken):
    aarav, diya = children
    first = join(patient, aarav)
    second = join(patient, diya)

    assert first.status_code == 201, first.json()
    assert second.status_code == 201, second.json()
    assert first.json()["patient_profile"] == {"id": str(aarav.pk), "name": "Aarav Sharma"}
    assert second.json()["patient_profile"] == {"id": str(diya.pk), "name": "Diya Sharma"}
    rows = WaitlistEntry.objects.order_by("id")
    assert [(e.patient_id, e.patient_profile_id) for e in rows] == [
        (patient.pk, aarav.pk),
        (patient.pk, diya.pk),
    ]
    # The same child twice is still refused; the parent themselves may wait too.
    again = join(patient, aarav)
    assert (again.status_code, again.json()["code"]) == (409, "waitlist_already_joined")
    mine = join(patient)
    assert mine.status_code == 201, mine.json()
    assert mine.json()["patient_profile"] == {"id": str(patient.pk), "name": "Rahul Sharma"}
    listing = client_for(patient).get(URL).json()
    assert [item["patient_profile"]["name"] for item in listing] == [
        "Aarav Sharma",
        "Diya Sharma",
        "Rahul Sharma",
    ]


def test_waiting_for_someone_elses_profile_is_404(join, patient, other_patient, taken):
    theirs = dependent_of(other_patient, name="Someone Else")

    for profile_id in (theirs.pk, other_patient.pk, "not-a-uuid"):
        response = join(patient, patient_profile=str(profile_id))
        assert response.status_code in (400, 404), response.json()
        if profile_id != "not-a-uuid":
            assert response.status_code == 404
            assert response.json()["code"] == "patient_profile_not_found"
    assert not WaitlistEntry.objects.exists()


def test_the_hold_is_the_childs_and_accept_books_for_the_child(
    client_for, join, book, patient, children, taken
):
    aarav, diya = children
    entry_id = join(patient, aarav).json()["id"]
    cancel(client_for, taken)
    entry = WaitlistEntry.objects.get(pk=entry_id)
    assert (entry.status, entry.offered_time) == ("offered", dt.time(9, 30))

    # The parent cannot spend Aarav's hold on Diya, nor on themselves.
    for profile in (diya, None):
        extra = {"patient_profile": str(profile.pk)} if profile else {}
        refused = book(patient, **extra)
        assert (refused.status_code, refused.json()["code"]) == (409, "held"), profile
    with pytest.raises(Conflict):
        appointment_book(
            patient=patient,
            doctor_id=entry.doctor_id,
            appointment_date=NEXT_MONDAY,
            appointment_time=dt.time(9, 30),
            patient_profile=diya.pk,
        )

    accepted = client_for(patient).post(f"{URL}{entry_id}/accept/")

    assert accepted.status_code == 201, accepted.json()
    appointment = Appointment.objects.get(pk=accepted.json()["id"])
    assert (appointment.patient_id, appointment.patient_profile_id) == (patient.pk, aarav.pk)
    assert accepted.json()["patient"]["name"] == "Aarav Sharma"
    entry.refresh_from_db()
    assert (entry.status, entry.appointment_id) == ("booked", appointment.pk)


def test_the_child_held_slot_booked_directly_for_that_child_closes_the_offer(
    client_for, join, book, patient, children, taken
):
    aarav, _ = children
    entry_id = join(patient, aarav).json()["id"]
    cancel(client_for, taken)

    response = book(patient, patient_profile=str(aarav.pk))

    assert response.status_code == 201, response.json()
    entry = WaitlistEntry.objects.get(pk=entry_id)
    assert (entry.status, entry.appointment_id) == ("booked", response.json()["id"])


def test_a_hold_for_the_parent_does_not_let_a_child_book_it(
    client_for, join, book, patient, children, taken
):
    entry_id = join(patient).json()["id"]
    cancel(client_for, taken)

    refused = book(patient, patient_profile=str(children[0].pk))

    assert (refused.status_code, refused.json()["code"]) == (409, "held")
    assert WaitlistEntry.objects.get(pk=entry_id).status == "offered"
    assert book(patient).status_code == 201
    assert WaitlistEntry.objects.get(pk=entry_id).status == "booked"


def test_a_leaves_reschedule_offer_waitlists_the_displaced_child(
    client_for, book, doctor, patient, children
):
    aarav, _ = children
    booked = book(patient, patient_profile=str(aarav.pk))
    assert booked.status_code == 201, booked.json()
    leave = {
        "start_date": NEXT_MONDAY.isoformat(),
        "end_date": NEXT_MONDAY.isoformat(),
        "on_conflict": "reschedule_offer",
    }

    response = client_for(doctor).post("/api/doctors/me/leaves/", leave, format="json")

    assert response.status_code == 201, response.json()
    entry = WaitlistEntry.objects.get()
    assert (entry.patient_id, entry.patient_profile_id, entry.date, entry.status) == (
        patient.pk,
        aarav.pk,
        FOLLOWING_MONDAY,
        "offered",
    )
    shown = client_for(patient).get(f"{URL}{entry.pk}/").json()
    assert shown["patient_profile"] == {"id": str(aarav.pk), "name": "Aarav Sharma"}
    accepted = client_for(patient).post(f"{URL}{entry.pk}/accept/")
    assert accepted.status_code == 201, accepted.json()
    assert Appointment.objects.get(pk=accepted.json()["id"]).patient_profile_id == aarav.pk


def test_staff_who_act_as_patients_use_the_waitlist(client_for, taken, doctor_profile):
    from users.tests.factories import ReceptionistFactory

    staff = ReceptionistFactory()
    client = client_for(staff)
    body = {
        "doctor": doctor_profile.pk,
        "date": NEXT_MONDAY.isoformat(),
        "from_time": "09:30",
        "to_time": "09:30",
    }
    assert client.post(URL, body, format="json").status_code == 403
    client.post("/api/users/me/patient-profile/")

    response = client.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["patient_profile"]["id"] == str(staff.pk)
    assert [item["id"] for item in client.get(URL).json()] == [response.json()["id"]]


def test_the_list_reads_profiles_in_a_fixed_number_of_queries(
    client_for, join, patient, children, taken, django_assert_max_num_queries
):
    for profile in (*children, None):
        assert join(patient, profile).status_code == 201
    client = client_for(patient)
    client.get(URL)  # warm the per-client caches (auth, the user row)

    with django_assert_max_num_queries(4):
        assert len(client.get(URL).json()) == 3


def test_the_leave_impact_names_each_person_in_a_fixed_number_of_queries(
    client_for, book, doctor, patient, children
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/api/doctors/me/leaves/impact/"
    query = {"start_date": NEXT_MONDAY.isoformat(), "end_date": NEXT_MONDAY.isoformat()}
    client = client_for(doctor)
    assert book(patient, appointment_time="09:00").status_code == 201
    client.get(url, query)  # warm the per-client caches
    with CaptureQueriesContext(connection) as one:
        client.get(url, query)
    for time, child in zip(("10:00", "10:15"), children, strict=True):
        assert (
            book(patient, appointment_time=time, patient_profile=str(child.pk)).status_code == 201
        )

    with CaptureQueriesContext(connection) as three:
        rows = client.get(url, query).json()

    assert [row["patient"]["name"] for row in rows] == [
        "Rahul Sharma",
        "Aarav Sharma",
        "Diya Sharma",
    ]
    assert len(three) == len(one)
