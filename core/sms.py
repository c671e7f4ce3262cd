"""SMS backends, chosen by `SMS_BACKEND` the way Django chooses an `EMAIL_BACKEND`.

console (prints), file (JSON lines, what `make run` uses so OTPs can be read locally),
locmem (an in-process outbox for tests), MSG91 and Twilio (HTTP with timeouts and retries).
Callers use `send_sms` (synchronous) or enqueue `core.tasks.send_sms_task` after commit.

Every backend takes the rendered `body` and, for providers that send registered templates
(India's DLT rules), the message `kind` and its template `variables`; `send` returns the
provider's message id when it gives one (None otherwise), for delivery callbacks.
"""

import fcntl
import json
import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The provider could not take the message after every retry."""


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str
    sent_at: str


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


Variables = Mapping[str, str] | None


class BaseSMSBackend:
    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        raise NotImplementedError


class ConsoleBackend(BaseSMSBackend):
    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        sys.stdout.write(f"[SMS to {to}] {body}\n")
        sys.stdout.flush()
        return None


class FileBackend(BaseSMSBackend):
    """Appends one JSON object per line: {"to", "body", "sent_at"}."""

    def __init__(self, path: str | None = None) -> None:
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "body": body, "sent_at": _now_iso()}) + "\n"
        with self.path.open("a", encoding="utf-8") as handle:
            # Several worker processes may append at once; whole lines only.
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line)
            fcntl.flock(handle, fcntl.LOCK_UN)
        return None


outbox: list[SMSMessage] = []


class LocmemBackend(BaseSMSBackend):
    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        outbox.append(SMSMessage(to=to, body=body, sent_at=_now_iso()))
        return f"locmem-{len(outbox)}"


class HTTPBackend(BaseSMSBackend):
    """Shared retry loop: connection errors and 5xx/429 answers are retried with backoff."""

    backoff_seconds = 0.5

    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self.transport = transport
        self.timeout = settings.SMS_TIMEOUT_SECONDS
        self.retries = settings.SMS_RETRIES

    def build_request(self, client: httpx.Client, *, to: str, body: str) -> httpx.Request:
        raise NotImplementedError

    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
            last_error: str = ""
            for attempt in range(self.retries + 1):
                if attempt:
                    time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
                try:
                    response = client.send(self.build_request(client, to=to, body=body))
                except httpx.TransportError as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                    continue
                if response.status_code < 400:
                    return self.message_id(response)
                last_error = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code < 500 and response.status_code != 429:
                    break  # a 4xx other than 429 will not get better by retrying
            logger.error("SMS to %s failed via %s: %s", to, type(self).__name__, last_error)
            raise SMSError(last_error)

    def message_id(self, response: httpx.Response) -> str | None:
        """The provider's id of the accepted message, if its answer names one."""
        return None


class Msg91Backend(HTTPBackend):
    url = "https://api.msg91.com/api/v2/sendsms"

    def build_request(self, client: httpx.Client, *, to: str, body: str) -> httpx.Request:
        payload: dict[str, Any] = {
            "sender": settings.MSG91_SENDER_ID,
            "route": settings.MSG91_ROUTE,
            "country": "91",
            "sms": [{"message": body, "to": [to.removeprefix("+91")]}],
        }
        return client.build_request(
            "POST", self.url, json=payload, headers={"authkey": settings.MSG91_AUTH_KEY}
        )


class TwilioBackend(HTTPBackend):
    def build_request(self, client: httpx.Client, *, to: str, body: str) -> httpx.Request:
        sid = settings.TWILIO_ACCOUNT_SID
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
        auth = httpx.BasicAuth(sid, settings.TWILIO_AUTH_TOKEN)
        request = client.build_request(
            "POST", url, data={"To": to, "From": settings.TWILIO_FROM_NUMBER, "Body": body}
        )
        return next(auth.auth_flow(request))


def get_backend() -> BaseSMSBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: BaseSMSBackend = backend_class()
    return backend


def send_sms(*, to: str, body: str, kind: str = "", variables: Variables = None) -> str | None:
    """Send one SMS now; the provider's message id, or None when it gives none."""
    return get_backend().send(to=to, body=body, kind=kind, variables=variables)
