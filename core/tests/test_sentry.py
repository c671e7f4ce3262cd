"""Sentry: started only with a DSN, without personal data; secrets stripped before sending."""

import pytest

from core import sentry


def event(url: str, **request) -> dict:
    return {
        "request": {
            "url": url,
            "method": "POST",
            "data": {"contact": "9876543210", "otp": "482910", "password": "Blue-Lotus-Tea-42"},
            "query_string": "token=signed-token",
            "cookies": {"sessionid": "abc"},
            "headers": {
                "Authorization": "Bearer eyJ.secret",
                "Cookie": "sessionid=abc",
                "User-Agent": "okhttp",
            },
            **request,
        }
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/users/onboarding/patient/step1/",
        "/api/users/onboarding/patient/step2/",
        "/api/users/onboarding/member/complete/",
        "/api/users/login/",
        "/api/users/logout/",
        "/api/users/token/refresh/",
        "/api/users/password/change/",
        "/api/clinics/1357f9cb-8855-4c53-bedb-d9d7af605bcb/members/",
        "/api/documents/",
        "/api/documents/83190b6c-2cfb-4cca-a0bd-b5d307aba410/file/",
    ],
)
def test_sensitive_paths_lose_body_query_cookies_and_credentials(path):
    sent = sentry.before_send(event(f"https://api.example.in{path}?token=signed-token"), {})
    request = sent["request"]
    assert request["data"] == "[Filtered]"
    assert request["query_string"] == "[Filtered]"
    assert "?" not in request["url"]
    assert "cookies" not in request
    assert request["headers"]["Authorization"] == "[Filtered]"
    assert request["headers"]["Cookie"] == "[Filtered]"
    assert request["headers"]["User-Agent"] == "okhttp"
    text = repr(sent)
    for secret in ("482910", "Blue-Lotus-Tea-42", "signed-token", "eyJ.secret", "sessionid"):
        assert secret not in text


def test_other_paths_keep_their_body_but_never_credentials():
    sent = sentry.before_send(event("https://api.example.in/api/appointments/"), {})
    request = sent["request"]
    assert request["data"]["contact"] == "9876543210"
    assert request["headers"]["Authorization"] == "[Filtered]"
    assert "cookies" not in request


def test_an_event_without_a_request_is_sent_unchanged():
    assert sentry.before_send({"message": "worker failed"}, {}) == {"message": "worker failed"}


def test_no_dsn_no_init(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry.sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert sentry.init_sentry(dsn="") is False
    assert calls == []


def test_a_dsn_starts_the_django_integration_without_pii(monkeypatch):
    from sentry_sdk.integrations.django import DjangoIntegration

    calls = []
    monkeypatch.setattr(sentry.sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert sentry.init_sentry(dsn="https://key@o0.ingest.sentry.io/1", environment="staging")
    (options,) = calls
    assert options["send_default_pii"] is False
    assert options["before_send"] is sentry.before_send
    assert options["environment"] == "staging"
    assert any(isinstance(i, DjangoIntegration) for i in options["integrations"])


def test_settings_start_sentry_only_with_a_dsn(monkeypatch):
    from core.tests.settings_env import settings_for

    calls = []
    monkeypatch.setattr(sentry.sentry_sdk, "init", lambda **kw: calls.append(kw))
    settings_for(monkeypatch)
    assert calls == []
    settings_for(monkeypatch, SENTRY_DSN="https://key@o0.ingest.sentry.io/1")
    (options,) = calls
    assert options["dsn"] == "https://key@o0.ingest.sentry.io/1"
    assert options["send_default_pii"] is False
    assert options["before_send"] is sentry.before_send
