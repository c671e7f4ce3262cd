"""FCM's OAuth 2.0 token from a service account: the documented JWT-bearer request, the
token cached until a minute before it expires, one refresh on a 401, errors retried."""

import json
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache

from notifications.channels import ChannelError, google_auth
from notifications.channels.push import FCMBackend
from notifications.tests.test_channels import MESSAGE

TOKEN_URI = "https://oauth2.googleapis.com/token"
SEND_URL = "https://fcm.googleapis.com/v1/projects/qc-from-key/messages:send"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def account(rsa_key, settings) -> dict[str, str]:
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "qc-from-key",
        "private_key_id": "key-1",
        "private_key": pem,
        "client_email": "fcm@qc-from-key.iam.gserviceaccount.com",
        "token_uri": TOKEN_URI,
    }
    settings.FCM_ACCESS_TOKEN = ""
    settings.FCM_PROJECT_ID = ""
    settings.FCM_SERVICE_ACCOUNT_FILE = ""
    settings.FCM_SERVICE_ACCOUNT_JSON = json.dumps(info)
    return info


class Google:
    """The token endpoint and FCM, recording every request; `fcm_answers` are consumed in
    order (then 200), `token_answer` replaces the token endpoint's answer when set."""

    def __init__(self) -> None:
        self.token_requests: list[httpx.Request] = []
        self.fcm_requests: list[httpx.Request] = []
        self.fcm_answers: list[httpx.Response] = []
        self.token_answer: httpx.Response | None = None
        self.minted = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URI:
            self.token_requests.append(request)
            if self.token_answer is not None:
                return self.token_answer
            self.minted += 1
            return httpx.Response(
                200,
                json={"access_token": f"ya29.minted-{self.minted}", "expires_in": 3599},
            )
        self.fcm_requests.append(request)
        if self.fcm_answers:
            return self.fcm_answers.pop(0)
        return httpx.Response(200, json={"name": "projects/qc-from-key/messages/0:1"})

    def backend(self) -> FCMBackend:
        return FCMBackend(transport=httpx.MockTransport(self.handler))


def test_the_token_request_is_googles_jwt_bearer_grant(account, rsa_key):
    google = Google()

    assert google.backend().send(MESSAGE, token="device") == "projects/qc-from-key/messages/0:1"

    (request,) = google.token_requests
    assert request.method == "POST"
    assert str(request.url) == TOKEN_URI
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode())
    assert set(form) == {"grant_type", "assertion"}
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    (assertion,) = form["assertion"]
    header = jwt.get_unverified_header(assertion)
    assert header["alg"] == "RS256"
    assert header["kid"] == "key-1"
    claims = jwt.decode(assertion, rsa_key.public_key(), algorithms=["RS256"], audience=TOKEN_URI)
    assert claims["iss"] == account["client_email"]
    assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    assert claims["aud"] == TOKEN_URI
    assert claims["exp"] - claims["iat"] == 3600

    (send,) = google.fcm_requests
    assert str(send.url) == SEND_URL  # FCM_PROJECT_ID empty: the key's project_id
    assert send.headers["Authorization"] == "Bearer ya29.minted-1"


def test_a_signature_by_another_key_does_not_verify(account):
    """The decode above proves the signature: a different public key refuses it."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(google_auth.assertion(account), other, algorithms=["RS256"], audience=TOKEN_URI)


def test_the_token_is_cached_until_a_minute_before_it_expires(account, monkeypatch):
    google = Google()
    backend = google.backend()
    timeouts: list[object] = []
    real_set = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout: timeouts.append(timeout) or real_set(key, value, timeout),
    )

    backend.send(MESSAGE, token="a")
    google.backend().send(MESSAGE, token="b")  # another worker's backend: same cache

    assert len(google.token_requests) == 1
    assert timeouts == [3599 - 60]
    assert [r.headers["Authorization"] for r in google.fcm_requests] == ["Bearer ya29.minted-1"] * 2


def test_an_expired_cache_entry_mints_a_new_token(account):
    google = Google()
    google.backend().send(MESSAGE, token="a")
    cache.clear()  # what the timeout does an hour less a minute later

    google.backend().send(MESSAGE, token="a")

    assert len(google.token_requests) == 2
    assert google.fcm_requests[-1].headers["Authorization"] == "Bearer ya29.minted-2"


def test_a_401_from_fcm_refreshes_the_token_once(account):
    google = Google()
    google.backend().send(MESSAGE, token="a")
    google.fcm_answers = [httpx.Response(401, json={"error": {"status": "UNAUTHENTICATED"}})]

    assert google.backend().send(MESSAGE, token="a") == "projects/qc-from-key/messages/0:1"

    assert len(google.token_requests) == 2
    assert [r.headers["Authorization"] for r in google.fcm_requests] == [
        "Bearer ya29.minted-1",
        "Bearer ya29.minted-1",
        "Bearer ya29.minted-2",
    ]
    # The fresh token replaced the refused one in the cache.
    google.backend().send(MESSAGE, token="a")
    assert len(google.token_requests) == 2
    assert google.fcm_requests[-1].headers["Authorization"] == "Bearer ya29.minted-2"


def test_a_second_401_is_a_channel_error_not_a_loop(account):
    google = Google()
    refused = httpx.Response(401, json={"error": {"status": "UNAUTHENTICATED"}})
    google.fcm_answers = [refused, refused, refused]

    with pytest.raises(ChannelError, match="HTTP 401"):
        google.backend().send(MESSAGE, token="a")

    assert len(google.token_requests) == 2
    assert len(google.fcm_requests) == 2


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(400, json={"error": "invalid_grant"}),
        httpx.Response(200, json={"token_type": "Bearer"}),
        httpx.Response(200, text="<html>"),
    ],
)
def test_a_token_endpoint_error_is_a_channel_error(account, answer):
    google = Google()
    google.token_answer = answer

    with pytest.raises(ChannelError, match="FCM token"):
        google.backend().send(MESSAGE, token="a")

    assert google.fcm_requests == []
    assert cache.get(google_auth._cache_key(account)) is None


def test_an_unreachable_token_endpoint_is_a_channel_error(account):
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(ChannelError, match="ConnectError"):
        FCMBackend(transport=httpx.MockTransport(broken)).send(MESSAGE, token="a")


def test_the_service_account_file_and_the_project_setting(account, settings, tmp_path):
    path = tmp_path / "service-account.json"
    path.write_text(settings.FCM_SERVICE_ACCOUNT_JSON)
    settings.FCM_SERVICE_ACCOUNT_JSON = ""
    settings.FCM_SERVICE_ACCOUNT_FILE = str(path)
    settings.FCM_PROJECT_ID = "qc-explicit"
    google = Google()

    google.backend().send(MESSAGE, token="a")

    assert len(google.token_requests) == 1
    assert str(google.fcm_requests[0].url).startswith(
        "https://fcm.googleapis.com/v1/projects/qc-explicit/"
    )


def test_the_default_token_uri_when_the_key_names_none(account, settings, rsa_key):
    del account["token_uri"]
    settings.FCM_SERVICE_ACCOUNT_JSON = json.dumps(account)
    google = Google()

    google.backend().send(MESSAGE, token="a")

    (request,) = google.token_requests
    (assertion,) = parse_qs(request.content.decode())["assertion"]
    claims = jwt.decode(assertion, rsa_key.public_key(), algorithms=["RS256"], audience=TOKEN_URI)
    assert claims["aud"] == TOKEN_URI


def test_a_static_access_token_overrides_the_service_account(account, settings):
    settings.FCM_ACCESS_TOKEN = "ya29.static"
    google = Google()
    google.fcm_answers = [httpx.Response(401, json={})]

    with pytest.raises(ChannelError, match="HTTP 401"):
        google.backend().send(MESSAGE, token="a")

    assert google.token_requests == []
    assert google.fcm_requests[0].headers["Authorization"] == "Bearer ya29.static"


@pytest.mark.parametrize(
    ("inline", "file", "message"),
    [
        ("", "", "no credentials"),
        ("", "/nonexistent/service-account.json", "unreadable"),
        ("{not json", "", "not JSON"),
        ('{"client_email": "a@b"}', "", "lacks client_email or private_key"),
        ('{"client_email": "a@b", "private_key": "garbage"}', "", "key unusable"),
    ],
)
def test_bad_credentials_are_channel_errors(settings, inline, file, message):
    settings.FCM_ACCESS_TOKEN = ""
    settings.FCM_PROJECT_ID = "qc"
    settings.FCM_SERVICE_ACCOUNT_JSON = inline
    settings.FCM_SERVICE_ACCOUNT_FILE = file
    google = Google()

    with pytest.raises(ChannelError, match=message):
        google.backend().send(MESSAGE, token="a")

    assert google.fcm_requests == []


@pytest.mark.django_db
def test_a_token_endpoint_failure_is_retried_by_the_sweep(account, patient, monkeypatch):
    """The existing machinery: a ChannelError leaves the row queued for a later attempt."""
    import datetime as dt

    from django.utils import timezone

    from notifications.channels import push
    from notifications.models import Channel, Device, Status
    from notifications.services import notification_send
    from notifications.tests.factories import NotificationFactory

    google = Google()
    google.token_answer = httpx.Response(503, text="unavailable")
    monkeypatch.setattr(push, "get_backend", google.backend)
    Device.objects.create(user=patient, token="device-1")
    notification = NotificationFactory(recipient=patient, channel=Channel.PUSH)

    assert notification_send(notification_id=notification.pk) == Status.QUEUED
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "FCM token request refused" in notification.last_error

    google.token_answer = None
    later = timezone.now() + dt.timedelta(days=1)
    assert notification_send(notification_id=notification.pk, now=later) == Status.SENT
    assert google.fcm_requests[0].headers["Authorization"] == "Bearer ya29.minted-1"
