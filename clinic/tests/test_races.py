"""Races under real concurrency: the one-clinic rule, duplicate members, overlapping windows.

PostgreSQL only (SQLite serialises writers): two threads, a barrier, real transactions.
"""

import pytest

from clinic.models import ClinicMember
from clinic.services import members as member_services
from clinic.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164
from core.testing import race
from users.models import TempPasswordLog, User
from users.tests.factories import DoctorUserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def post_at_once(clients_and_urls, body):
    """POST `body` from each (client, url) at the same moment; returns the responses."""
    return race([lambda c=c, u=u: c.post(u, body, format="json") for c, u in clients_and_urls])


def spec_message(clinic) -> str:
    return (
        f'This doctor is already an active member of "{clinic.name}". '
        "A doctor can only belong to one clinic at a time."
    )


@pytest.fixture
def two_owners(client_for, clinic, other_clinic):
    return [
        (client_for(clinic.owner), f"/api/clinics/{clinic.id}/members/"),
        (client_for(other_clinic.owner), f"/api/clinics/{other_clinic.id}/members/"),
    ]


def check_one_winner(responses, clinic, other_clinic, user):
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409], [r.content for r in responses]
    winner = ClinicMember.objects.get(user=user, status="active")
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json() == {
        "message": spec_message(winner.clinic),
        "code": "doctor_already_in_clinic",
    }
    assert ClinicMember.objects.filter(user=user).count() == 1


def test_two_owners_adding_an_existing_doctor_at_once(two_owners, clinic, other_clinic):
    doctor = DoctorUserFactory()
    body = {"contact": int(str(doctor.contact)[3:]), "member_role": "doctor"}

    responses = post_at_once(two_owners, body)

    check_one_winner(responses, clinic, other_clinic, doctor)


def test_two_owners_registering_the_same_new_doctor_at_once(
    two_owners, clinic, other_clinic, sms_outbox
):
    body = {"contact": NEW_CONTACT, "name": "Dr. Suresh Yadav", "member_role": "doctor"}

    responses = post_at_once(two_owners, body)

    user = User.objects.get(contact=NEW_CONTACT_E164)
    check_one_winner(responses, clinic, other_clinic, user)
    assert TempPasswordLog.objects.filter(user=user).count() == 1
    assert len(sms_outbox) == 1  # only the winner's commit sends the password


def test_the_constraint_alone_holds_when_both_pass_the_python_check(
    two_owners, clinic, other_clinic, monkeypatch
):
    """Both requests pass the application check; the partial unique index lets one in."""
    monkeypatch.setattr(member_services, "_doctor_clinic_elsewhere", lambda **kwargs: None)
    doctor = DoctorUserFactory()
    body = {"contact": int(str(doctor.contact)[3:]), "member_role": "doctor"}

    responses = post_at_once(two_owners, body)

    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "membership_conflict"
    assert ClinicMember.objects.filter(user=doctor, status="active").count() == 1


def test_the_same_owner_adding_a_receptionist_twice_at_once(client_for, clinic):
    owner = client_for(clinic.owner)
    url = f"/api/clinics/{clinic.id}/members/"
    body = {"contact": NEW_CONTACT, "name": "Sunita Desk", "member_role": "receptionist"}

    responses = post_at_once([(owner, url), (client_for(clinic.owner), url)], body)

    assert sorted(r.status_code for r in responses) == [201, 409]
    assert ClinicMember.objects.filter(user__contact=NEW_CONTACT_E164).count() == 1


def test_two_overlapping_windows_posted_at_once(client_for, clinic):
    """The clinic row lock serialises window edits: one overlapping window gets in."""
    url = f"/api/clinics/{clinic.id}/slots/"
    body = {
        "day_of_week": 2,
        "start_time": "09:00",
        "end_time": "13:00",
        "slot_duration_minutes": 15,
        "max_appointments": 10,
    }

    responses = post_at_once(
        [(client_for(clinic.owner), url), (client_for(clinic.owner), url)], body
    )

    assert sorted(r.status_code for r in responses) == [201, 409]
    assert clinic.time_slots.filter(day_of_week=2, is_active=True).count() == 1
