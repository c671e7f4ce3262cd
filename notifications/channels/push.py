"""Push to the mobile app through Firebase Cloud Messaging HTTP v1.

POST https://fcm.googleapis.com/v1/projects/<project>/messages:send with an OAuth 2.0 Bearer
token and {"message": {"token", "notification": {"title", "body"}, "data": {...strings}}};
the answer's `name` is the message id. A 404 (UNREGISTERED) means the app was removed: the
token is dropped. The token is minted from the service account (FCM_SERVICE_ACCOUNT_FILE or
FCM_SERVICE_ACCOUNT_JSON) and cached by `google_auth` (an hour's life, refreshed a minute
early); a 401 from FCM mints a fresh one and sends once more. FCM_ACCESS_TOKEN, if set, is
used as is. The project is FCM_PROJECT_ID, else the service account's project_id.
"""

import json
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels import ChannelError, Outgoing, google_auth
from notifications.channels.http import error_text, post_json


class TokenGone(Exception):
    """FCM says the registration token no longer exists."""


def fcm_payload(message: Outgoing, *, token: str) -> dict[str, Any]:
    data = {"kind": message.kind, "notification_id": str(message.notification_id)}
    data.update({key: str(value) for key, value in message.data.items()})
    return {
        "message": {
            "token": token,
            "notification": {"title": message.title, "body": message.body},
            "data": data,
        }
    }


class BasePushBackend:
    def send(self, message: Outgoing, *, token: str) -> str | None:
        raise NotImplementedError


outbox: list[dict[str, Any]] = []


class LocmemPushBackend(BasePushBackend):
    def send(self, message: Outgoing, *, token: str) -> str | None:
        outbox.append(fcm_payload(message, token=token))
        return f"projects/locmem/messages/{len(outbox)}"


class FilePushBackend(BasePushBackend):
    def send(self, message: Outgoing, *, token: str) -> str | None:
        path = Path(settings.PUSH_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(fcm_payload(message, token=token), ensure_ascii=False) + "\n")
        return None


class FCMBackend(BasePushBackend):
    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self.transport = transport

    def url(self) -> str:
        return f"https://fcm.googleapis.com/v1/projects/{google_auth.project_id()}/messages:send"

    def _post(self, message: Outgoing, *, token: str, refresh: bool) -> httpx.Response:
        bearer = google_auth.access_token(transport=self.transport, refresh=refresh)
        payload = fcm_payload(message, token=token)
        return post_json(self.url(), payload=payload, token=bearer, transport=self.transport)

    def send(self, message: Outgoing, *, token: str) -> str | None:
        response = self._post(message, token=token, refresh=False)
        if response.status_code == 401 and not settings.FCM_ACCESS_TOKEN:
            # The cached token was revoked or expired early: mint a fresh one, once.
            response = self._post(message, token=token, refresh=True)
        if response.status_code == 404:
            raise TokenGone(token)
        if response.status_code >= 400:
            raise ChannelError(error_text(response))
        name = response.json().get("name")
        return str(name) if name else None


def get_backend() -> BasePushBackend:
    backend: BasePushBackend = import_string(settings.PUSH_BACKEND)()
    return backend
