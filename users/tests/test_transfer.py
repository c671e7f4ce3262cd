"""A dependent grows up (issue 13): their profile and its history move to their own number
after that number's OTP; the old holder loses access; the move is recorded."""

import datetime as dt

import pytest

from appointments.tests.factories import AppointmentFactory
from audit.models import AuditEvent
from audit.verify import verify_chain
from documents.models import MedicalDocument
from documents.tests.factories import MedicalDocumentFactory
from users.models import PatientProfile, ProfileTransfer, User
from users.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164, otp_in
from users.tests.factories import PatientFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


def url(profile, step=""):
    return f"/api/users/me/dependents/{profile.pk}/transfer/{step}"


@pytest.fixture
def grown(patient, doctor_profile, clinic):
    child = dependent_of(patient, name="Aarav Sharma", allergies="Peanuts", town="Jaipur")
    appointment = AppointmentFactory(
        patient=patient, patient_profile=child, doctor=doctor_profile, clinic=clinic
    )
    document = MedicalDocumentFactory(patient=patient, patient_profile=child)
    return child, appointment, document


@pytest.fixture
def transfer(client_for, patient, sms_outbox, django_capture_on_commit_callbacks):
    def run(profile, contact=NEW_CONTACT, holder=None):
        client = client_for(holder or patient)
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url(profile), {"contact": contact}, format="json")
        if started.status_code != 200:
            return started
        code = otp_in(sms_outbox[-1].body)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url(profile, "verify/"), {"contact": contact, "otp": code}, format="json"
            )

    return run


def test_transfer_to_a_new_number_moves_history_and_cuts_the_old_holder(
    grown, transfer, patient, client_for, sms_outbox
):
    child, appointment, document = grown
    response = transfer(child)
    assert response.status_code == 200, response.content
    assert response.json()["account_created"] is True

    new = User.objects.get(contact=NEW_CONTACT_E164)
    assert not new.has_usable_password()
    moved = PatientProfile.objects.get(pk=child.pk)
    assert (moved.account_id, moved.relation) == (new.pk, "self")
    assert PatientProfile.objects.filter(account=new).count() == 1  # the empty one replaced
    appointment.refresh_from_db()
    assert appointment.patient_id == new.pk
    assert appointment.patient_profile_id == child.pk
    assert MedicalDocument.objects.get(pk=document.pk).patient_id == new.pk
    assert new.name == "Aarav Sharma"
    assert "Register with this number" in sms_outbox[-1].body

    old = client_for(patient)
    assert old.get("/api/appointments/my/").json() == []
    assert old.get(f"/api/appointments/my/{appointment.pk}/").status_code == 404
    assert old.get(f"/api/documents/{document.pk}/").status_code == 404
    assert old.get(f"/api/users/me/dependents/{child.pk}/").status_code == 404

    event = AuditEvent.objects.get(patient_id=child.pk, action="profile_transferred")
    assert event.data["from"] == str(patient.pk)
    assert event.data["to"] == str(new.pk)
    assert ProfileTransfer.objects.get(profile=child).from_account_id == patient.pk
    assert verify_chain(child.pk).valid


def test_the_new_owner_finishes_registering_with_an_otp_and_sees_the_history(
    grown, transfer, send_otp, last_otp, verify_otp, client_for
):
    child, appointment, _ = grown
    transfer(child)
    check = client_for(User.objects.get(contact=NEW_CONTACT_E164))
    assert check.get("/api/users/check/", {"contact": NEW_CONTACT}).json() == {"exists": False}
    assert send_otp(name="Aarav Sharma").status_code == 200
    registered = verify_otp(last_otp())
    assert registered.status_code == 201, registered.content
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.has_usable_password()
    mine = client_for(user).get("/api/appointments/my/").json()
    assert [item["id"] for item in mine] == [appointment.pk]
    assert PatientProfile.objects.get(pk=child.pk).allergies == "Peanuts"


def test_transfer_into_an_existing_unused_account(grown, transfer):
    child, _, _ = grown
    existing = PatientFactory(contact=NEW_CONTACT_E164)
    response = transfer(child)
    assert response.status_code == 200, response.content
    assert response.json()["account_created"] is False
    assert PatientProfile.objects.get(account=existing, relation="self").pk == child.pk
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert existing.name == "Aarav Sharma"


def test_an_account_with_its_own_history_refuses_409(grown, transfer, doctor_profile, clinic):
    child, _, _ = grown
    existing = PatientFactory(contact=NEW_CONTACT_E164)
    AppointmentFactory(
        patient=existing, doctor=doctor_profile, clinic=clinic, appointment_time=dt.time(11, 45)
    )
    response = transfer(child)
    assert response.status_code == 409
    assert response.json()["code"] == "transfer_target_has_history"
    assert PatientProfile.objects.get(pk=child.pk).relation == "child"


def test_wrong_code_own_number_and_unknown_profile(grown, patient, client_for, other_patient):
    child, _, _ = grown
    client = client_for(patient)
    own = client.post(url(child), {"contact": str(patient.contact)}, format="json")
    assert own.status_code == 400
    assert own.json()["code"] == "transfer_to_self"
    not_requested = client.post(
        url(child, "verify/"), {"contact": NEW_CONTACT, "otp": "123456"}, format="json"
    )
    assert not_requested.json()["code"] == "transfer_not_requested"
    assert client.post(url(child), {"contact": NEW_CONTACT}, format="json").status_code == 200
    wrong = client.post(
        url(child, "verify/"), {"contact": NEW_CONTACT, "otp": "000000"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] in (
        "otp_invalid",
        "otp_attempts_exceeded",
    )
    assert PatientProfile.objects.get(pk=child.pk).account_id == patient.pk
    theirs = client_for(other_patient).post(url(child), {"contact": NEW_CONTACT}, format="json")
    assert theirs.status_code == 404
