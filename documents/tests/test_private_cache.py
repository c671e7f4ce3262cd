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
