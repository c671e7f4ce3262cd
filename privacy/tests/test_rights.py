"""DPDP rights: export (logged), erasure request (account closed at once), due erasure."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import verify_chain
from documents.files import documents_storage
from documents.tests.factories import MedicalDocumentFactory
from privacy.models import ErasureRequest
from privacy.services import erase_due
from users.models import MedicalProfile, User

pytestmark = pytest.mark.django_db

EXPORT_URL = "/api/users/me/export/"
ERASURE_URL = "/api/users/me/erasure-request/"


def test_export_holds_everything_and_the_fhir_bundle_and_is_logged(
    client_for, patient, appointment, make_consent
):
    document = MedicalDocumentFactory(patient=patient, appointment=appointment)
    make_consent(document)
    response = client_for(patient).get(EXPORT_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["name"] == patient.name
    assert [d["id"] for d in body["documents"]] == [str(document.pk)]
    assert len(body["appointments"]) == 1
    assert len(body["consents"]) == 1
    assert body["fhir"]["resourceType"] == "Bundle"
    assert AuditEvent.objects.filter(
        patient=patient, category="privacy", action="exported"
    ).exists()


def test_only_patients_export(client_for, doctor):
    assert client_for(doctor).get(EXPORT_URL).status_code == 403
    assert client_for(doctor).post(ERASURE_URL).status_code == 403


def test_an_erasure_request_closes_the_account_at_once(client_for, patient, settings):
    settings.MEDICAL_RECORDS_RETENTION_DAYS = 1096
    client = client_for(patient)
    response = client.post(ERASURE_URL)
    assert response.status_code == 202
    erase_after = dt.datetime.fromisoformat(response.json()["erase_after"])
    assert erase_after - timezone.now() > dt.timedelta(days=1095)
    patient.refresh_from_db()
    assert not patient.is_active
    assert client.get(EXPORT_URL).status_code == 401
    assert AuditEvent.objects.filter(patient=patient, action="erasure_requested").exists()


def test_a_second_request_is_409(patient):
    from documents.access import AccessContext
    from privacy.services import erasure_request

    ctx = AccessContext(actor=patient, ip_address=None, user_agent="")
    erasure_request(user=patient, ctx=ctx)
    from core.exceptions import Conflict

    with pytest.raises(Conflict):
        erasure_request(user=patient, ctx=ctx)


def test_erasure_waits_for_the_retention_period_then_erases(client_for, patient, appointment):
    document = MedicalDocumentFactory(patient=patient, appointment=appointment, title="CBC")
    MedicalProfile.objects.create(user=patient, allergies="penicillin")
    client_for(patient).post(ERASURE_URL)
    assert erase_due() == 0
    request = ErasureRequest.objects.get(user=patient)
    assert erase_due(now=request.erase_after + dt.timedelta(seconds=1)) == 1

    patient = User.objects.get(pk=patient.pk)
    assert (patient.name, patient.email, patient.is_active) == ("", "", False)
    assert not patient.has_usable_password()
    assert not MedicalProfile.objects.filter(user=patient).exists()
    document.refresh_from_db()
    assert (document.title, document.is_deleted) == ("erased", True)
    assert not documents_storage().exists(document.file.name)
    # The chain stays whole and records the erasure.
    assert verify_chain(patient.pk).valid
    assert AuditEvent.objects.filter(patient=patient, action="erased").exists()
    assert erase_due(now=request.erase_after + dt.timedelta(days=1)) == 0


def test_the_command_erases_due_requests(patient, capsys):
    ErasureRequest.objects.create(
        user=patient, requested_at=timezone.now(), erase_after=timezone.now()
    )
    call_command("privacy_erase_due")
    assert "1 account(s) erased" in capsys.readouterr().out
