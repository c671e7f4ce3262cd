"""Structured logs: a request id in and out, the request fields on every line, JSON lines."""

import json
import logging
from collections.abc import Iterator

import pytest
from django.test import override_settings

from core import logs

pytestmark = pytest.mark.django_db


class ListHandler(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter)
        self.addFilter(logs.RequestContextFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines() -> Iterator[list[str]]:
    handler = ListHandler(logs.JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def records(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def request_lines(lines: list[str]) -> list[dict]:
    return [r for r in records(lines) if r["logger"] == "quickcare.request"]


def test_a_request_gets_an_id_returned_in_the_header_and_logged(api_client, json_lines):
    response = api_client.get("/health/live/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = request_lines(json_lines)
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/health/live/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"
    assert line["time"].endswith("Z")
    assert line["user_id"] is None
    assert line["message"].startswith("GET /health/live/ 200 ")


def test_a_safe_client_request_id_is_kept(api_client, json_lines):
    response = api_client.get("/health/live/", HTTP_X_REQUEST_ID="edge-42.a:b_c")
    assert response["X-Request-ID"] == "edge-42.a:b_c"
    assert request_lines(json_lines)[0]["request_id"] == "edge-42.a:b_c"


@pytest.mark.parametrize(
    "sent", ["a" * 129, "two words", 'quote"d', "new\nline", "semi;colon", "ümlaut", ""]
)
def test_an_unsafe_or_long_request_id_is_replaced(api_client, sent):
    response = api_client.get("/health/live/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_every_line_of_a_request_carries_its_id_and_user(
    client_for, patient, json_lines, monkeypatch
):
    from users import views

    real = views.UserMeView.get

    def get(self, request, *args, **kwargs):
        logging.getLogger("users.views").warning("inside the view")
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(views.UserMeView, "get", get)
    response = client_for(patient).get("/api/users/me/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    inside = next(r for r in records(json_lines) if r["message"] == "inside the view")
    assert inside["request_id"] == "req-1"
    assert inside["user_id"] == str(patient.pk)
    assert inside["path"] == "/api/users/me/"
    assert inside["logger"] == "users.views"
    (line,) = request_lines(json_lines)
    assert line["user_id"] == str(patient.pk)
    assert line["request_id"] == "req-1"


def test_lines_outside_a_request_have_no_request_fields(json_lines):
    logging.getLogger("quickcare.test").info("between requests")
    (line,) = records(json_lines)
    assert line["request_id"] is None
    assert line["path"] is None


def test_the_request_line_has_no_query_string_and_no_request_object(api_client, json_lines):
    response = api_client.get("/api/nowhere/?token=secret-token-value")
    text = "\n".join(json_lines)
    assert "secret-token-value" not in text
    # django.request's "Not Found" warning carried the request object: it is not written,
    # but its id, method and path are.
    assert all("request" not in r for r in records(json_lines))
    warning = next(r for r in records(json_lines) if r["logger"] == "django.request")
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["path"] == "/api/nowhere/"


def test_a_server_error_is_logged_at_error_level(api_client, json_lines):
    from django.urls import clear_url_caches

    with override_settings(ROOT_URLCONF="core.tests.urls_boom"):
        clear_url_caches()
        api_client.raise_request_exception = False
        response = api_client.get("/boom/")
    clear_url_caches()
    assert response.status_code == 500
    line = request_lines(json_lines)[0]
    assert line["level"] == "ERROR"
    assert line["status"] == 500


def test_the_text_format_is_one_readable_line():
    formatter = logs.TextFormatter()
    record = logging.LogRecord("quickcare.request", logging.INFO, "", 0, "GET / 200", None, None)
    logs.RequestContextFilter().filter(record)
    line = formatter.format(record)
    assert "INFO" in line
    assert "quickcare.request [- user=-] GET / 200" in line


def test_settings_pick_json_outside_debug_and_text_in_debug(monkeypatch):
    from core.tests.settings_env import settings_for

    def formatter(**env):
        return settings_for(monkeypatch, **env)["LOGGING"]["handlers"]["console"]["formatter"]

    assert formatter(DEBUG="True") == "text"
    assert formatter(DEBUG="False") == "json"
    assert formatter(DEBUG="False", LOG_FORMAT="text") == "text"


def test_the_text_format_leaves_the_shared_record_as_it_found_it():
    record = logging.makeLogRecord({"msg": "between requests", "request_id": None})
    text = logs.TextFormatter().format(record)
    assert "[- user=-]" in text
    assert record.request_id is None  # another handler still sees None
    assert getattr(record, "user_id", None) is None
