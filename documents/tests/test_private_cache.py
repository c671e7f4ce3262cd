"""Cached private lists of the documents app (core.cached_responses): the patient's consent
list and access log are answered again with no SQL, and every request, grant, revoke, deleted
document, logged access and lapsed grant is seen by the very next request. The document lists
themselves are never stored: reading them writes the access log (and their links are signed
per second)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from documents.models import MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL, action_url, detail_url
from users.tokens import issue_tokens

pytestmark = pytest.mark.django_db
MINE = f"{DOCUMENTS_URL}consent/mine/"
LOG = f"{DOCUMENTS_URL}access-log/"
REQUEST = f"{DOCUMENTS_URL}consent/request/"


def session(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user=user)['access']}")
    return client


def statements(client: APIClient, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.mark.parametrize("url", [MINE, LOG])
def test_a_repeated_list_costs_no_sql(url, patient, granted_consent, client_for, doctor):
    client_for(doctor).get(detail_url(granted_consent.document_id))  # one logged access
    client = session(patient)
    first, cost = statements(client, url)
    assert first.status_code == 200
    assert first.json()
    assert cost >= 1
    again, cost = statements(client, url)
    assert (again.content, cost) == (first.content, 0)


def test_the_document_list_is_never_stored(patient, document):
    client = session(patient)
    client.get(DOCUMENTS_URL)
    _, cost = statements(client, DOCUMENTS_URL)
    assert cost >= 1  # the read is logged every time


def test_a_request_and_a_grant_are_seen_at_once(patient, document, doctor):
    client = session(patient)
    assert client.get(MINE).json() == []
    body = {"document": str(document.pk), "purpose": "Reviewing prior lab results"}
    assert session(doctor).post(REQUEST, body, format="json").status_code == 201
    listed = client.get(MINE).json()
    assert [item["status"] for item in listed] == ["pending"]
    assert client.patch(action_url(listed[0]["id"]), {"action": "grant"}).status_code == 200
    assert [item["status"] for item in client.get(MINE).json()] == ["granted"]


def test_a_deleted_document_leaves_the_consent_list(patient, granted_consent):
    client = session(patient)
    assert len(client.get(MINE).json()) == 1
    document = MedicalDocument.objects.get(pk=granted_consent.document_id)
    document.is_deleted = True
    document.save()
    assert client.get(MINE).json() == []


def test_a_grant_lapses_into_expired_with_the_clock(
    patient, document, make_consent, clock_driven_cache
):
    soon = timezone.now() + dt.timedelta(minutes=5)
    make_consent(document, expires_at=soon)
    with time_machine.travel(soon - dt.timedelta(minutes=1), tick=False) as clock:
        client = session(patient)
        assert [item["status"] for item in client.get(MINE).json()] == ["granted"]
        _, cost = statements(client, MINE)
        assert cost == 0
        clock.move_to(soon + dt.timedelta(seconds=1))
        assert [item["status"] for item in client.get(MINE).json()] == ["expired"]


def test_a_logged_access_is_listed_by_the_next_request(patient, granted_consent, doctor):
    client = session(patient)
    before = len(client.get(LOG).json())
    assert session(doctor).get(detail_url(granted_consent.document_id)).status_code == 200
    after = client.get(LOG).json()
    assert len(after) > before
    assert "view" in {item["action"] for item in after[: len(after) - before]}


def test_the_doctors_name_change_is_seen_in_the_consent_list(patient, granted_consent, doctor):
    client = session(patient)
    client.get(MINE)
    doctor.name = "Dr. S. Yadav"
    doctor.save()
    assert "Dr. S. Yadav" in client.get(MINE).content.decode()


# --- the patient's document total (documents.rows.DocumentRows, count_versions) -------------


def _total(client: APIClient, **query: Any) -> int:
    response = client.get(DOCUMENTS_URL, query)
    assert response.status_code == 200
    return int(response["X-Total-Count"])


def test_the_patients_total_is_counted_once(patient, document):
    client = session(patient)
    client.get(DOCUMENTS_URL)
    with CaptureQueriesContext(connection) as queries:
        assert _total(client) == 1
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_an_upload_and_a_delete_move_the_total_at_once(patient, document, upload):
    client = session(patient)
    assert _total(client) == 1
    assert upload(patient).status_code == 201
    assert _total(client) == 2
    assert client.delete(detail_url(document.pk)).status_code == 204
    assert _total(client) == 1


def test_a_bulk_update_moves_the_total(patient, document):
    client = session(patient)
    assert _total(client) == 1
    MedicalDocument.objects.filter(pk=document.pk).update(is_deleted=True)  # RECORDS
    assert _total(client) == 0


def test_each_filter_and_profile_has_its_own_total(patient, document):
    from documents.tests.factories import MedicalDocumentFactory
    from users.tests.profiles_helpers import dependent_of

    child = dependent_of(patient)
    MedicalDocumentFactory(patient=patient, document_type="imaging")
    MedicalDocumentFactory(patient=patient, patient_profile=child)
    client = session(patient)
    assert _total(client) == 2
    assert _total(client, document_type="imaging") == 1
    assert _total(client, patient_profile=str(child.pk)) == 1
    assert _total(client, document_type="imaging") == 1
    assert _total(client) == 2


def test_another_patient_never_gets_my_total(patient, other_patient, document):
    assert _total(session(patient)) == 1
    assert _total(session(other_patient)) == 0


def test_a_doctors_total_follows_the_clock(doctor, patient, make_consent):
    from documents.tests.factories import MedicalDocumentFactory

    soon = timezone.now() + dt.timedelta(minutes=5)
    make_consent(MedicalDocumentFactory(patient=patient), expires_at=soon)
    make_consent(MedicalDocumentFactory(patient=patient))
    client = session(doctor)
    assert _total(client) == 2
    with time_machine.travel(soon + dt.timedelta(seconds=1)):
        assert _total(client) == 1  # the first consent expired: no write bumped anything
