"""Races on PostgreSQL: one open consent request per doctor and document, one decision."""

from collections import Counter

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from core.testing import race
from documents.models import DocumentConsent
from documents.tests.conftest import DOCUMENTS_URL, action_url

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(user, method: str, url: str, bodies: list[dict]) -> Counter:
    token = str(RefreshToken.for_user(user).access_token)
    clients = [APIClient() for _ in bodies]
    for client in clients:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    calls = [
        lambda c=c, b=b: getattr(c, method)(url, b, format="json")
        for c, b in zip(clients, bodies, strict=True)
    ]
    return Counter(response.status_code for response in race(calls))


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
