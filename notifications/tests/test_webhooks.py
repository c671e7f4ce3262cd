"""Delivery callbacks: verified per provider, unknown or badly signed callers refused (403)."""

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest

from notifications.models import Channel, Status
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
BASE = "/api/notifications/webhooks/"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.MSG91_WEBHOOK_SECRET = "msg91-secret"


def _sent(channel=Channel.SMS, message_id="SM123"):
    return NotificationFactory(channel=channel, status=Status.SENT, provider_message_id=message_id)


def _twilio_signature(url: str, fields: dict[str, str]) -> str:
    signed = url + "".join(key + value for key, value in sorted(fields.items()))
    digest = hmac.new(b"twilio-token", signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_twilio_signed_report_marks_a_failure(api_client):
    notification = _sent()
    fields = {"MessageSid": "SM123", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    url = f"http://testserver{BASE}twilio/"
    response = api_client.post(
        f"{BASE}twilio/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=_twilio_signature(url, fields),
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"updated": 1}
    notification.refresh_from_db()
    assert (notification.status, notification.provider_status) == (Status.FAILED, "undelivered")
    assert notification.last_error == "30003"


def test_twilio_with_a_bad_signature_is_refused(api_client):
    notification = _sent()
    fields = {"MessageSid": "SM123", "MessageStatus": "failed"}
    response = api_client.post(
        f"{BASE}twilio/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=_twilio_signature("http://evil.example/", fields),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "webhook_refused"
    notification.refresh_from_db()
    assert notification.status == Status.SENT


def _whatsapp_body(message_id: str, status: str) -> bytes:
    report = {"id": message_id, "status": status}
    body = {"entry": [{"changes": [{"value": {"statuses": [report]}}]}]}
    return json.dumps(body).encode()


def test_whatsapp_signed_report_records_delivery(api_client):
    notification = _sent(Channel.WHATSAPP, "wamid.1")
    raw = _whatsapp_body("wamid.1", "delivered")
    signature = "sha256=" + hmac.new(b"app-secret", raw, hashlib.sha256).hexdigest()
    response = api_client.post(
        f"{BASE}whatsapp/", raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )
    assert response.json() == {"updated": 1}
    notification.refresh_from_db()
    assert (notification.status, notification.provider_status) == (Status.SENT, "delivered")


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "garbage"])
def test_whatsapp_unsigned_or_badly_signed_is_refused(api_client, signature):
    raw = _whatsapp_body("wamid.1", "failed")
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}
    response = api_client.post(f"{BASE}whatsapp/", raw, content_type="application/json", **headers)
    assert response.status_code == 403


def test_msg91_needs_the_shared_secret(api_client):
    notification = _sent(message_id="req-9")
    body = {"data": [{"requestId": "req-9", "status": "Delivered"}]}
    refused = api_client.post(
        f"{BASE}msg91/", body, format="json", HTTP_X_QUICKCARE_WEBHOOK_SECRET="wrong"
    )
    assert refused.status_code == 403
    accepted = api_client.post(
        f"{BASE}msg91/", body, format="json", HTTP_X_QUICKCARE_WEBHOOK_SECRET="msg91-secret"
    )
    assert accepted.json() == {"updated": 1}
    notification.refresh_from_db()
    assert notification.provider_status == "delivered"


def test_an_unknown_provider_or_an_unset_secret_is_refused(api_client, settings):
    assert api_client.post(f"{BASE}sendgrid/", {}, format="json").status_code == 403
    settings.MSG91_WEBHOOK_SECRET = ""
    response = api_client.post(
        f"{BASE}msg91/", {}, format="json", HTTP_X_QUICKCARE_WEBHOOK_SECRET=""
    )
    assert response.status_code == 403


def test_a_signed_but_malformed_body_is_a_400(api_client):
    raw = b"{not json"
    signature = "sha256=" + hmac.new(b"app-secret", raw, hashlib.sha256).hexdigest()
    response = api_client.post(
        f"{BASE}whatsapp/", raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )
    assert response.status_code == 400


HANDSHAKE = f"{BASE}whatsapp/"


def _handshake(api_client, **params):
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", **params}
    return api_client.get(HANDSHAKE, {k: v for k, v in query.items() if v is not None})


def test_whatsapp_handshake_echoes_the_challenge_as_plain_text(api_client, settings):
    settings.WHATSAPP_VERIFY_TOKEN = "meta-verify"

    response = _handshake(api_client, **{"hub.verify_token": "meta-verify"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.verify_token": "wrong"},
        {"hub.verify_token": "meta-verif"},
        {"hub.verify_token": None},
        {"hub.verify_token": ""},
        {"hub.verify_token": "meta-verify", "hub.mode": "unsubscribe"},
        {"hub.verify_token": "meta-verify", "hub.mode": None},
    ],
)
def test_whatsapp_handshake_with_a_wrong_or_missing_token_is_refused(api_client, settings, params):
    settings.WHATSAPP_VERIFY_TOKEN = "meta-verify"

    response = _handshake(api_client, **params)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "webhook_refused"
    assert b"1158201444" not in response.content


@pytest.mark.parametrize("given", ["", "anything", None])
def test_an_empty_verify_token_setting_refuses_every_handshake(api_client, settings, given):
    settings.WHATSAPP_VERIFY_TOKEN = ""

    response = _handshake(api_client, **{"hub.verify_token": given})

    assert response.status_code == 403
    assert response.json()["code"] == "webhook_refused"


@pytest.mark.parametrize("provider", ["twilio", "msg91", "nobody"])
def test_other_providers_have_no_handshake(api_client, settings, provider):
    settings.WHATSAPP_VERIFY_TOKEN = "meta-verify"

    response = api_client.get(
        f"{BASE}{provider}/",
        {"hub.mode": "subscribe", "hub.verify_token": "meta-verify", "hub.challenge": "1"},
    )

    assert response.status_code == 405
    assert response.json()["code"]
