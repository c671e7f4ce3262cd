"""/health/ reports the database, the cache and storage."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_json():
    from django.test import Client

    response = Client().get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body.values()) == {"OK"}
    assert any(key.startswith("Database") for key in body)
    assert any(key.startswith("Cache") for key in body)
