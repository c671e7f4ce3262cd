"""Break-glass end to end: open, reach without consent, the patient told, every access marked
`emergency`, the window closing, the owner's review, and the block on unreviewed openings."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from documents.models import EmergencyAccess
from documents.signals import emergency_access_opened
from documents.tests.conftest import DOCUMENTS_URL, detail_url
from documents.tests.factories import MedicalDocumentFactory
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

OPEN_URL = f"{DOCUMENTS_URL}emergency-access/"


def review_url(clinic, access_id=None):
    base = f"/api/clinics/{clinic.pk}/emergency-access/"
    return f"{base}{access_id}/" if access_id else base


@pytest.fixture
def sent():
    received = []

    def receiver(sender, access, **kwargs):
        received.append(access)

    emergency_access_opened.connect(receiver, dispatch_uid="test-emergency")
    yield received
    emergency_access_opened.disconnect(dispatch_uid="test-emergency")


def _open(client, whom, **extra):
    body = {
        "patient": str(whom.pk),
        "reason_code": "unconscious",
        "reason": "Brought in unconscious",
        **extra,
    }
    return client.post(OPEN_URL, body, format="json")


def test_break_glass_end_to_end(
    client_for, doctor, patient, clinic, clinic_owner, sent, django_capture_on_commit_callbacks
):
    document = MedicalDocumentFactory(patient=patient)
    client = client_for(doctor)
    assert client.get(detail_url(document.pk)).status_code == 404  # no consent yet

    with django_capture_on_commit_callbacks(execute=True):
        response = _open(client, patient)
    assert response.status_code == 201, response.json()
    access = response.json()
    assert access["clinic"] == str(clinic.pk)
    assert access["review"] == "pending"
    assert [a.pk for a in sent] == [EmergencyAccess.objects.get().pk]  # the patient is told

    assert client.get(detail_url(document.pk)).status_code == 200
    assert [d["id"] for d in client.get(DOCUMENTS_URL).json()] == [str(document.pk)]
    events = AuditEvent.objects.filter(patient=patient, category="access", actor=doctor)
    (denied,) = events.filter(action="denied")  # before the glass was broken
    assert not denied.emergency
    in_window = events.exclude(action="denied")
    assert {e.action for e in in_window} == {"view", "file_link"}
    assert all(event.emergency for event in in_window)
    assert AuditEvent.objects.filter(patient=patient, category="emergency", action="opened")

    owner = client_for(clinic_owner)
    listed = owner.get(review_url(clinic)).json()
    assert [a["id"] for a in listed] == [access["id"]]
    reviewed = owner.patch(review_url(clinic, access["id"]), {"justified": True}, format="json")
    assert reviewed.status_code == 200
    assert reviewed.json()["review"] == "justified"


def test_the_window_closes(client_for, doctor, patient, settings):
    settings.EMERGENCY_ACCESS_HOURS = 2
    document = MedicalDocumentFactory(patient=patient)
    client = client_for(doctor)
    _open(client, patient)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2, minutes=1)):
        assert client_for(doctor).get(detail_url(document.pk)).status_code == 404


def test_only_that_patient_is_opened(client_for, doctor, patient):
    other = MedicalDocumentFactory(patient=PatientFactory())
    client = client_for(doctor)
    _open(client, patient)
    assert client.get(detail_url(other.pk)).status_code == 404


def test_open_by_contact(client_for, doctor, patient):
    response = _open(
        client_for(doctor), patient, patient=None, patient_contact=str(patient.contact)
    )
    assert response.status_code == 400  # both keys sent (patient is null)
    body = {"patient_contact": str(patient.contact), "reason_code": "other", "reason": "ER"}
    response = client_for(doctor).post(OPEN_URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["patient"] == str(patient.pk)


def test_unknown_patient_is_404_and_bad_input_400(client_for, doctor, clinic_owner):
    client = client_for(doctor)
    body = {
        "patient": "00000000-0000-0000-0000-000000000000",
        "reason_code": "other",
        "reason": "x",
    }
    response = client.post(OPEN_URL, body, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "patient_not_found")
    assert client.post(OPEN_URL, {"reason": "x"}, format="json").status_code == 400
    assert client_for(clinic_owner).post(OPEN_URL, body, format="json").status_code == 403


@pytest.mark.parametrize("review", [None, False])
def test_an_unreviewed_or_unjustified_opening_blocks_another(
    client_for, doctor, patient, clinic, clinic_owner, review
):
    client = client_for(doctor)
    first = _open(client, patient).json()
    if review is not None:
        client_for(clinic_owner).patch(
            review_url(clinic, first["id"]), {"justified": review}, format="json"
        )
    response = _open(client, PatientFactory())
    assert (response.status_code, response.json()["code"]) == (
        409,
        "emergency_access_review_pending",
    )


def test_a_justified_or_old_opening_does_not_block(
    client_for, doctor, patient, clinic, clinic_owner, settings
):
    client = client_for(doctor)
    first = _open(client, patient).json()
    client_for(clinic_owner).patch(
        review_url(clinic, first["id"]), {"justified": True}, format="json"
    )
    assert _open(client, PatientFactory()).status_code == 201
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert _open(client_for(doctor), PatientFactory()).status_code == 201


def test_the_block_is_a_setting(client_for, doctor, patient, settings):
    settings.EMERGENCY_ACCESS_BLOCK_UNREVIEWED = False
    client = client_for(doctor)
    _open(client, patient)
    assert _open(client, PatientFactory()).status_code == 201


def test_other_owners_see_nothing(client_for, doctor, patient, clinic, other_owner):
    access = _open(client_for(doctor), patient).json()
    owner = client_for(other_owner)
    assert owner.get(review_url(clinic)).status_code == 404
    response = owner.patch(review_url(clinic, access["id"]), {"justified": True}, format="json")
    assert response.status_code == 404
