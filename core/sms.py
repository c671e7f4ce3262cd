"""SMS backends, chosen by `SMS_BACKEND` the way Django chooses an `EMAIL_BACKEND`.

console (prints), file (JSON lines, what `make run` uses so OTPs can be read locally),
locmem (an in-process outbox for tests), MSG91 and Twilio (HTTP with timeouts and retries),
and a router that picks a provider by the number's country code (`SMS_ROUTES`).
Callers use `send_sms` (synchronous) or enqueue `core.tasks.send_sms_task` after commit.

Every backend takes the rendered `body` and, for providers that send registered templates,
the message `kind` and its template `variables`; `send` returns the provider's message id
when it gives one (None otherwise), for delivery callbacks.

India's DLT rules let operators deliver only registered templates, so MSG91 never sends
free text: each kind names a template (`MSG91_TEMPLATES`, e.g. `otp=<id>,appointment_reminder=<id>`)
whose variables the caller passes; a kind without a template is an SMSError at send.
Hand-written over httpx rather than a provider SDK: two small JSON/form requests, and one
retry policy and one mocked transport for both providers.
"""

import fcntl
import json
import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The message cannot be sent: the provider refused it after every retry, or the backend
    lacks what it needs to send it (a template for its kind, credentials, a route)."""


class SMSKind(StrEnum):
    """The SMS sent outside the notifications outbox; each needs a registered template with
    MSG91."""

    OTP = "otp"  # variables: otp
    # A profile transfer made the dependent their own account: finish registering
    # (users.services.transfer_sms; no variables).
    ACCOUNT_CREATED = "account_created"
    # Every other SMS is a notification: its kinds are `notifications.models.Kind` (the
    # notifications app checks their templates, `quickcare.W005`).


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str
    sent_at: str
    kind: str = ""
    variables: Mapping[str, str] | None = None


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
        message = SMSMessage(
            to=to,
            body=body,
            sent_at=_now_iso(),
            kind=kind,
            variables=dict(variables) if variables is not None else None,
        )
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class HTTPBackend(BaseSMSBackend):
    """Shared retry loop: connection errors and 5xx/429 answers are retried with backoff;
    other 4xx answers are not (they will not get better)."""

    backoff_seconds = 0.5

    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self.transport = transport
        self.timeout = settings.SMS_TIMEOUT_SECONDS
        self.retries = settings.SMS_RETRIES

    def build_request(
        self, client: httpx.Client, *, to: str, body: str, kind: str, variables: Mapping[str, str]
    ) -> httpx.Request:
        raise NotImplementedError

    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        name = type(self).__name__
        with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
            # Built once, before any attempt: a missing template or key fails without a call.
            request = self.build_request(
                client, to=to, body=body, kind=kind, variables=dict(variables or {})
            )
            last_error: str = ""
            for attempt in range(self.retries + 1):
                if attempt:
                    time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
                try:
                    response = client.send(request)
                except httpx.TransportError as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                    continue
                if response.status_code < 400:
                    return self.message_id(response)
                last_error = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code < 500 and response.status_code != 429:
                    break
            logger.error("SMS (%s) to %s failed via %s: %s", kind, to, name, last_error)
            raise SMSError(last_error)

    def message_id(self, response: httpx.Response) -> str | None:
        """The provider's id of the accepted message, if its answer names one."""
        return None


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


MSG91_OTP_VIA_CHOICES = ("otp_api", "flow")


class Msg91Backend(HTTPBackend):
    """MSG91's Flow API for every kind (a DLT template per kind, variables not text); the OTP
    through MSG91's SendOTP API (`MSG91_OTP_VIA=otp_api`, the default) or its Flow template
    (`flow`). MSG91 answers {"type": "success", "message" or "request_id": <request id>}."""

    flow_url = "https://control.msg91.com/api/v5/flow/"
    otp_url = "https://control.msg91.com/api/v5/otp"

    def build_request(
        self, client: httpx.Client, *, to: str, body: str, kind: str, variables: Mapping[str, str]
    ) -> httpx.Request:
        template_id = settings.MSG91_TEMPLATES.get(kind, "")
        if not template_id:
            raise SMSError(
                f"No MSG91 template for SMS kind {kind!r}: set MSG91_TEMPLATES "
                f"({kind or '<kind>'}=<template id>); DLT rules forbid free text."
            )
        if not settings.MSG91_AUTH_KEY:
            raise SMSError("MSG91_AUTH_KEY is not set.")
        headers = {"authkey": settings.MSG91_AUTH_KEY, "accept": "application/json"}
        mobile = to.removeprefix("+")  # E.164 digits: country code then number
        if settings.MSG91_OTP_VIA not in MSG91_OTP_VIA_CHOICES:
            raise SMSError("MSG91_OTP_VIA must be otp_api or flow.")
        if kind == SMSKind.OTP and settings.MSG91_OTP_VIA == "otp_api":
            if not variables.get("otp"):
                raise SMSError("An OTP message needs the 'otp' variable.")
            params = {"template_id": template_id, "mobile": mobile, "otp": variables["otp"]}
            extra = {key: value for key, value in variables.items() if key != "otp"}
            return client.build_request(
                "POST", self.otp_url, params=params, json=extra, headers=headers
            )
        payload = {
            "template_id": template_id,
            "short_url": "0",
            "recipients": [{**variables, "mobiles": mobile}],
        }
        return client.build_request("POST", self.flow_url, json=payload, headers=headers)

    def message_id(self, response: httpx.Response) -> str | None:
        data = _json_object(response)
        if data.get("type") == "error":  # MSG91 refuses some requests with HTTP 200
            logger.error("SMS refused by MSG91: %s", str(data.get("message", ""))[:200])
            raise SMSError(f"MSG91 refused the message: {data.get('message', '')}")
        request_id = data.get("request_id") or data.get("message")
        return str(request_id) if request_id else None


class TwilioBackend(HTTPBackend):
    """Twilio's Messages API (form-encoded, basic auth) for numbers outside India; it sends
    the rendered body. Twilio answers the message's `sid`."""

    def build_request(
        self, client: httpx.Client, *, to: str, body: str, kind: str, variables: Mapping[str, str]
    ) -> httpx.Request:
        sid = settings.TWILIO_ACCOUNT_SID
        if not sid or not settings.TWILIO_AUTH_TOKEN:
            raise SMSError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set.")
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
        auth = httpx.BasicAuth(sid, settings.TWILIO_AUTH_TOKEN)
        request = client.build_request(
            "POST", url, data={"To": to, "From": settings.TWILIO_FROM_NUMBER, "Body": body}
        )
        return next(auth.auth_flow(request))

    def message_id(self, response: httpx.Response) -> str | None:
        sid = _json_object(response).get("sid")
        return str(sid) if sid else None


class RoutingBackend(BaseSMSBackend):
    """Sends each number through the backend of its longest matching prefix in `SMS_ROUTES`
    (e.g. `+91=core.sms.Msg91Backend,default=core.sms.TwilioBackend`); `default` catches the
    rest. A number no route takes is an SMSError."""

    def backend_for(self, to: str) -> BaseSMSBackend:
        routes: Mapping[str, str] = settings.SMS_ROUTES
        prefixes = sorted((p for p in routes if p != "default" and to.startswith(p)), key=len)
        path = routes[prefixes[-1]] if prefixes else routes.get("default", "")
        if not path:
            raise SMSError(f"No SMS route for {to[:4]}…: set SMS_ROUTES (or its 'default').")
        backend_class = import_string(path)
        if issubclass(backend_class, RoutingBackend):
            raise SMSError("SMS_ROUTES must name provider backends, not core.sms.RoutingBackend.")
        backend: BaseSMSBackend = backend_class()
        return backend

    def send(
        self, *, to: str, body: str, kind: str = "", variables: Variables = None
    ) -> str | None:
        return self.backend_for(to).send(to=to, body=body, kind=kind, variables=variables)


class _RedactQuerySecrets(logging.Filter):
    """httpx logs each request's URL at INFO; MSG91's SendOTP API takes the code in the query
    string (as it documents), so its value never reaches a log line."""

    secret_params = ("otp", "authkey")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, httpx.URL) for arg in record.args
        ):
            record.args = tuple(
                self.redact(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True

    def redact(self, url: httpx.URL) -> httpx.URL:
        params = url.params
        for name in self.secret_params:
            if name in params:
                params = params.set(name, "[redacted]")
        return url.copy_with(params=params)


logging.getLogger("httpx").addFilter(_RedactQuerySecrets())


def get_backend() -> BaseSMSBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: BaseSMSBackend = backend_class()
    return backend


def send_sms(*, to: str, body: str, kind: str = "", variables: Variables = None) -> str | None:
    """Send one SMS now; the provider's message id, or None when it gives none."""
    return get_backend().send(to=to, body=body, kind=kind, variables=variables)
