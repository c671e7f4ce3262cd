"""CORS for /api/ only, from the origins in CORS_ALLOWED_ORIGINS (none by default)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

ALLOWED = "https://app.example-clinic.in"


def preflight(client, path: str, origin: str):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,x-request-id",
    )


def test_no_origin_is_allowed_by_default(api_client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    response = preflight(api_client, "/api/doctors/", ALLOWED)
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED])
def test_a_preflight_from_an_allowed_origin_gets_the_headers(api_client):
    response = preflight(api_client, "/api/doctors/", ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    allowed_headers = response["Access-Control-Allow-Headers"].split(", ")
    assert {"authorization", "x-request-id"} <= set(allowed_headers)
    assert "GET" in response["Access-Control-Allow-Methods"]


@override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED])
def test_a_response_exposes_paging_throttling_and_request_id_headers(api_client):
    response = api_client.get("/api/doctors/", HTTP_ORIGIN=ALLOWED)
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"Link", "X-Total-Count", "Retry-After", "X-Request-ID"}


@override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED])
def test_a_disallowed_origin_gets_no_cors_headers(api_client):
    for response in (
        preflight(api_client, "/api/doctors/", "https://evil.example.com"),
        api_client.get("/api/doctors/", HTTP_ORIGIN="https://evil.example.com"),
    ):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Expose-Headers" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED])
@pytest.mark.parametrize("path", ["/health/", "/health/live/", "/admin/login/", "/static/x.css"])
def test_paths_outside_the_api_have_no_cors_headers(api_client, path):
    for response in (
        preflight(api_client, path, ALLOWED),
        api_client.get(path, HTTP_ORIGIN=ALLOWED),
    ):
        assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_the_origins_come_from_the_environment(monkeypatch):
    from core.tests.settings_env import settings_for

    origins = "https://a.example.in,https://b.example.in"
    loaded = settings_for(monkeypatch, CORS_ALLOWED_ORIGINS=origins)
    assert loaded["CORS_ALLOWED_ORIGINS"] == ["https://a.example.in", "https://b.example.in"]
    assert settings_for(monkeypatch)["CORS_ALLOWED_ORIGINS"] == []
