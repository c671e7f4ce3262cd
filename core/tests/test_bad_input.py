"""Bad input and odd requests under /api/ answer JSON 4xx, never a 500 or an HTML page."""

import json

import pytest
from django.test import Client, override_settings

from core.parsers import MAX_JSON_DEPTH, json_depth_exceeds

pytestmark = pytest.mark.django_db

LOGIN = "/api/users/login/"


@pytest.fixture
def raw_client():
    """A client that answers like a server would (Django's 500 page instead of raising)."""
    return Client(raise_request_exception=False)


def _post(client, path, body, **extra):
    return client.post(path, data=body, content_type="application/json", **extra)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_100000_deep_answers_400_json(raw_client, opening):
    closing = "]" if opening == "[" else "}"
    response = _post(raw_client, LOGIN, opening * 100_000 + "1" + closing * 100_000)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "parse_error"
    assert "nested deeper" in response.json()["message"]


def test_json_nested_just_below_the_recursion_limit_is_refused_too(raw_client, patient):
    """Parsable depth can still blow the stack later (str() of the value in a choice error)."""
    deep = "[" * 900 + "]" * 900
    body = '{"contact": "9876543210", "password": "x", "gender": ' + deep + "}"
    response = _post(raw_client, LOGIN, body)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_ordinary_nesting_still_parses(client_for, patient):
    """A normal payload (an object holding a list of objects) is not refused."""
    response = client_for(patient).post(
        "/api/users/address/", {"area": [{"a": [1, 2]}]}, format="json"
    )
    assert response.status_code == 400
    assert "area" in response.json()


def test_depth_check_counts_levels():
    assert not json_depth_exceeds({"a": [{"b": 1}]}, 3)
    assert json_depth_exceeds({"a": [{"b": [1]}]}, 3)
    assert not json_depth_exceeds(json.loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH), 32)


def test_a_body_over_the_limit_answers_413_json_naming_it(raw_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    body = json.dumps({"contact": "9876543210", "password": "x" * 4096})
    response = _post(raw_client, LOGIN, body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["code"] == "payload_too_large"
    assert "2.0 KB" in payload["message"]
    assert payload["limit_bytes"] == 2048


def test_a_body_over_the_limit_answers_413_with_debug_on(raw_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    with override_settings(DEBUG=True):
        response = _post(raw_client, LOGIN, json.dumps({"password": "x" * 4096}))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_a_body_at_the_limit_is_read(raw_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = _post(raw_client, LOGIN, json.dumps({"contact": "9876543210", "password": "x"}))
    assert response.status_code in (400, 401)
    assert response.json()["code"] != "payload_too_large"


def test_request_data_too_big_raised_by_django_answers_413_json():
    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from core.views import bad_request

    response = bad_request(RequestFactory().post("/api/users/login/"), RequestDataTooBig("x"))
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "payload_too_large"


@override_settings(DEBUG=True)
def test_an_unknown_api_url_answers_json_404_with_debug_on(raw_client):
    response = raw_client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Not found.", "code": "not_found"}


@override_settings(DEBUG=True)
def test_outside_the_api_debug_keeps_django_technical_404(raw_client):
    response = raw_client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_path_missing_its_slash_still_redirects(raw_client):
    response = raw_client.get("/api/doctors")
    assert response.status_code == 301
    assert response["Location"] == "/api/doctors/"


def test_a_bad_host_under_the_api_answers_json_400(raw_client):
    response = raw_client.get("/api/doctors/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Bad request.", "code": "bad_request"}


def test_a_bad_host_outside_the_api_keeps_the_html_400(raw_client):
    response = raw_client.get("/admin/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@override_settings(DEBUG=True)
def test_a_bad_host_under_the_api_answers_json_400_with_debug_on(raw_client):
    response = raw_client.get("/api/doctors/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json() == {"message": "Bad request.", "code": "bad_request"}


def test_drf_html_answers_are_kept_and_django_pages_replaced():
    """With DEBUG's browsable API a browser sees DRF's own HTML error page, field errors and
    all; only Django's pages (which know nothing of the API) become JSON."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from rest_framework.response import Response

    from core.middleware import ApiJsonErrorsMiddleware

    request = RequestFactory().get("/api/doctors/")
    drf = Response(status=400, content_type="text/html")
    assert ApiJsonErrorsMiddleware(lambda request: drf)(request) is drf
    django_page = HttpResponse("<h1>Bad Request</h1>", status=400, content_type="text/html")
    replaced = ApiJsonErrorsMiddleware(lambda request: django_page)(request)
    assert replaced.status_code == 400
    assert json.loads(replaced.content)["code"] == "bad_request"
