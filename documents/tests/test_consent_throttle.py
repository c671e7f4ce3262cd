"""POST consent/request/ is rate-limited per doctor (THROTTLE_CONSENT_REQUEST, default 60/hour).

Choice: every attempt a doctor makes counts, whatever it answers (201, 404, 409), so probing
ids costs the same as asking; the counter is keyed by the doctor's user id, not the address.
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from documents.models import DocumentConsent
from documents.tests.conftest import DOCUMENTS_URL
from documents.tests.factories import MedicalDocumentFactory
from documents.throttles import ConsentRequestThrottle

pytestmark = pytest.mark.django_db

REQUEST_URL = f"{DOCUMENTS_URL}consent/request/"


@pytest.fixture
def three_an_hour(monkeypatch):
    monkeypatch.setattr(ConsentRequestThrottle, "rate", "3/hour", raising=False)


def _ask(client, document_id, **extra):
    body = {"document": str(document_id), "purpose": "Second opinion"}
    return client.post(REQUEST_URL, body, format="json", **extra)


def test_the_rate_comes_from_settings():
    assert ConsentRequestThrottle().rate == "60/hour"


def test_the_fourth_request_in_an_hour_answers_429_with_retry_after(
    three_an_hour, client_for, doctor, patient, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(doctor)
    documents = [MedicalDocumentFactory(patient=patient) for _ in range(4)]
    assert [_ask(client, d.pk).status_code for d in documents[:3]] == [201, 201, 201]
    throttled = _ask(client, documents[3].pk)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) == 3600
    assert DocumentConsent.objects.count() == 3
    time_machine.shift(dt.timedelta(hours=1, seconds=1))
    assert _ask(client_for(doctor), documents[3].pk).status_code == 201  # a fresh token


def test_refused_attempts_count_too(three_an_hour, client_for, doctor, document):
    client = client_for(doctor)
    assert _ask(client, uuid.uuid4()).status_code == 404
    assert _ask(client, document.pk).status_code == 201
    assert _ask(client, document.pk).status_code == 409
    assert _ask(client, document.pk).status_code == 429


def test_the_limit_is_per_doctor_not_per_address(
    three_an_hour, client_for, doctor, other_doctor, patient
):
    documents = [MedicalDocumentFactory(patient=patient) for _ in range(5)]
    client = client_for(doctor)
    for number, document in enumerate(documents[:3]):
        assert _ask(client, document.pk, REMOTE_ADDR=f"10.0.0.{number}").status_code == 201
    # Another address does not reset this doctor's counter...
    assert _ask(client, documents[3].pk, REMOTE_ADDR="10.9.9.9").status_code == 429
    # ...and this doctor's counter does not stop another doctor on the same address.
    other = client_for(other_doctor)
    assert _ask(other, documents[3].pk, REMOTE_ADDR="10.0.0.1").status_code == 201
