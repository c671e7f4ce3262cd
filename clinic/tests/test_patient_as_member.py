"""Staff who are patients (issue 13): a registered patient is added as a member (201, no name
needed), takes the staff role the `roles` object shows, and keeps booking and their records;
when the membership ends they are shown as a patient again."""

import datetime as dt

import pytest

from appointments.tests.conftest import booking_body
from appointments.tests.conftest import clock as clock  # the pinned-clock fixture
from clinic.models import ClinicMember
from doctors.tests.factories import DoctorAvailabilityFactory
from documents.tests.factories import MedicalDocumentFactory
from users.models import PatientProfile
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def contact_of(user) -> int:
    return int(str(user.contact)[3:])


@pytest.fixture
def registered():
    return PatientFactory(name="Neha Joshi")


def test_an_existing_patient_added_as_lab_member_keeps_booking(
    clock, add_member, registered, client_for, doctor_profile, clinic
):
    own_document = MedicalDocumentFactory(patient=registered, title="My thyroid report")
    response = add_member(contact=contact_of(registered), member_role="lab_member", name=None)

    assert response.status_code == 201, response.content
    member = ClinicMember.objects.get(user=registered)
    assert member.member_role == "lab_member"
    client = client_for(registered)
    me = client.get("/api/users/me/").json()
    assert me["roles"] == {"id": 6, "name": "is_lab_member"}
    assert PatientProfile.objects.get(pk=registered.pk).patient_enabled

    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
    )
    booked = client.post("/api/appointments/my/", booking_body(doctor_profile.pk), format="json")
    assert booked.status_code == 201, booked.content
    assert [a["id"] for a in client.get("/api/appointments/my/").json()] == [booked.json()["id"]]
    # Their own records: the patient-only endpoints, and the shared list with their profile.
    assert client.get("/api/documents/access-log/").status_code == 200
    own = client.get(f"/api/documents/?patient_profile={registered.pk}").json()
    assert [d["id"] for d in own] == [str(own_document.pk)]
    # The shared list without a profile answers in the staff role (lab members may not list).
    assert client.get("/api/documents/").status_code == 403


def test_when_the_membership_ends_the_role_goes_back_to_patient(
    add_member, registered, owner_client, client_for
):
    add_member(contact=contact_of(registered), member_role="receptionist", name=None)
    member = ClinicMember.objects.get(user=registered)
    response = owner_client.delete(f"/api/clinics/{member.clinic_id}/members/{member.pk}/")
    assert response.status_code == 204
    registered.refresh_from_db()
    assert client_for(registered).get("/api/users/me/").json()["roles"]["name"] == "is_patient"


def test_staff_who_never_were_patients_keep_their_role_when_removed(
    add_member, owner_client, receptionist, clinic
):
    member = ClinicMember.objects.get(user=receptionist)
    owner_client.delete(f"/api/clinics/{clinic.pk}/members/{member.pk}/")
    receptionist.refresh_from_db()
    assert receptionist.role_id == 5
