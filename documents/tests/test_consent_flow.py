"""The consent flow end to end, through the API only: a doctor reaches a document (list,
detail, file) only with an active consent, and revocation or expiry closes every path at once.

Choice: a doctor without an active consent gets 404 on the detail (the document is out of
their scope, as for any other object), no file link, and 404 from the download view.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from documents.models import DocumentAccessLog
from documents.tests.conftest import DOCUMENTS_URL, action_url, detail_url, relative

pytestmark = pytest.mark.django_db

REQUEST_URL = f"{DOCUMENTS_URL}consent/request/"


def _doctor_sees(client, document) -> tuple[int, bool]:
    """(detail status, whether the list holds it)."""
    detail = client.get(detail_url(document.pk)).status_code
    listed = [d["id"] for d in client.get(DOCUMENTS_URL).json()]
    return detail, str(document.pk) in listed


def _ask(doctor_client, document, **extra) -> str:
    body = {"document": str(document.pk), "purpose": "Second opinion", **extra}
    response = doctor_client.post(REQUEST_URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_full_flow_request_grant_access_revoke(client_for, api_client, patient, doctor, document):
    patient_client, doctor_client = client_for(patient), client_for(doctor)

    # No consent: nothing.
    assert _doctor_sees(doctor_client, document) == (404, False)
    denied = DocumentAccessLog.objects.filter(document=document, action="denied", actor=doctor)
    assert denied.count() == 1

    # Pending: still nothing.
    consent_id = _ask(doctor_client, document)
    assert _doctor_sees(doctor_client, document) == (404, False)
    assert patient_client.get(f"{DOCUMENTS_URL}consent/mine/").json()[0]["status"] == "pending"

    # Granted: list, detail and file; every access logged with the doctor's name.
    response = patient_client.patch(action_url(consent_id), {"action": "grant"})
    assert response.json()["status"] == "granted"
    assert _doctor_sees(doctor_client, document) == (200, True)
    link = doctor_client.get(detail_url(document.pk)).json()["file"]
    assert api_client.get(relative(link)).status_code == 200
    log = patient_client.get(f"{DOCUMENTS_URL}{document.pk}/access-log/").json()
    doctor_actions = {
        e["action"] for e in log if e["accessed_by"] and e["accessed_by"]["name"] == doctor.name
    }
    assert {"view", "file_link", "download", "denied"} <= doctor_actions

    # A link minted before the revocation dies with it.
    link_before = doctor_client.get(detail_url(document.pk)).json()["file"]
    response = patient_client.patch(action_url(consent_id), {"action": "revoke"})
    assert response.json()["status"] == "revoked"
    assert _doctor_sees(doctor_client, document) == (404, False)
    response = api_client.get(relative(link_before))
    assert response.status_code == 404
    last = DocumentAccessLog.objects.filter(document=document).first()
    assert (last.action, last.actor, last.detail) == ("denied", doctor, "download refused")


def test_rejected_request_gives_no_access(client_for, patient, doctor, document):
    consent_id = _ask(client_for(doctor), document)
    client_for(patient).patch(action_url(consent_id), {"action": "reject"})
    assert _doctor_sees(client_for(doctor), document) == (404, False)


def test_expiry_closes_list_detail_and_outstanding_links(
    client_for, api_client, patient, doctor, document
):
    ends = timezone.now() + dt.timedelta(hours=1)
    consent_id = _ask(client_for(doctor), document, expires_at=ends.isoformat())
    client_for(patient).patch(action_url(consent_id), {"action": "grant"})
    with time_machine.travel(ends - dt.timedelta(seconds=30), tick=False):
        doctor_client = client_for(doctor)
        assert _doctor_sees(doctor_client, document) == (200, True)
        link = doctor_client.get(detail_url(document.pk)).json()["file"]
    with time_machine.travel(ends + dt.timedelta(seconds=1), tick=False):
        doctor_client = client_for(doctor)
        assert _doctor_sees(doctor_client, document) == (404, False)
        # The link is still within its 60 s, but the consent behind it has lapsed.
        assert api_client.get(relative(link)).status_code == 404
        mine = client_for(patient).get(f"{DOCUMENTS_URL}consent/mine/").json()
        assert mine[0]["status"] == "expired"


def test_consent_on_one_document_opens_only_that_document(
    client_for, patient, doctor, document, upload
):
    sibling = upload(patient, title="Another report").json()
    consent_id = _ask(client_for(doctor), document)
    client_for(patient).patch(action_url(consent_id), {"action": "grant"})
    body = client_for(doctor).get(DOCUMENTS_URL).json()
    assert [d["id"] for d in body] == [str(document.pk)]
    assert client_for(doctor).get(detail_url(sibling["id"])).status_code == 404


def test_a_doctor_with_consent_still_cannot_delete_or_read_the_log(
    client_for, doctor, document, granted_consent
):
    client = client_for(doctor)
    assert client.delete(detail_url(document.pk)).status_code == 403
    assert client.get(f"{DOCUMENTS_URL}{document.pk}/access-log/").status_code == 403
    assert client.get(f"{DOCUMENTS_URL}access-log/").status_code == 403
