"""Races on PostgreSQL: one open consent request per doctor and document, one decision."""

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from documents.models import DocumentConsent
from documents.tests.conftest import DOCUMENTS_URL, action_url

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(user, method: str, url: str, bodies: list[dict]) -> Counter:
    barrier = threading.Barrier(len(bodies))
    codes: Counter = Counter()
    lock = threading.Lock()
    token = str(RefreshToken.for_user(user).access_token)

    def run(body):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=30)
            code = getattr(client, method)(url, body, format="json").status_code
            with lock:
                codes[code] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


@pytest.mark.postgres
@RACE
def test_racing_requests_leave_one_pending_request(doctor, document):
    body = {"document": str(document.pk), "purpose": "Second opinion"}
    codes = _race(doctor, "post", f"{DOCUMENTS_URL}consent/request/", [body] * 8)
    assert codes == Counter({201: 1, 409: 7})
    assert DocumentConsent.objects.filter(status="pending").count() == 1


@pytest.mark.postgres
@RACE
def test_racing_grant_and_reject_apply_exactly_one(patient, document, make_consent):
    consent = make_consent(document, status="pending")
    bodies = [{"action": "grant"}, {"action": "reject"}] * 4
    codes = _race(patient, "patch", action_url(consent.pk), bodies)
    assert codes == Counter({200: 1, 400: 7})
    consent.refresh_from_db()
    assert consent.status in {"granted", "rejected"}
