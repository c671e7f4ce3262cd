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


@pytest.mark.parametrize(
    "accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", "text/plain", None]
)
def test_health_answers_json_for_any_accept(accept):
    from django.test import Client

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = Client(raise_request_exception=False).get("/health/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response.json().values()) == {"OK"}


def test_health_names_the_failing_dependency_with_503(monkeypatch):
    from django.test import Client
    from health_check.checks import Storage
    from health_check.exceptions import ServiceUnavailable

    def broken(self):
        raise ServiceUnavailable("bucket unreachable")

    monkeypatch.setattr(Storage, "run", broken)
    response = Client(raise_request_exception=False).get("/health/", HTTP_ACCEPT="*/*")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    failing = {key: value for key, value in response.json().items() if value != "OK"}
    assert len(failing) == 1
    [(name, error)] = failing.items()
    assert name.startswith("Storage")
    assert "bucket unreachable" in error


def test_liveness_touches_nothing(django_assert_num_queries, monkeypatch):
    from django.core.cache import cache
    from django.test import Client

    def no_cache(*args, **kwargs):
        raise AssertionError("liveness must not touch the cache")

    monkeypatch.setattr(cache, "get", no_cache)
    monkeypatch.setattr(cache, "set", no_cache)
    with django_assert_num_queries(0):
        response = Client().get("/health/live/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
