"""One log format for every line: who asked (request id, user id), what (method, path) and how
it ended (status, duration), as JSON lines in production and readable lines in development.

A request's id is kept in a context variable by `RequestLogMiddleware`, and
`RequestContextFilter` (on the handlers, so it sees every propagated record) copies it onto
each record written while that request runs. JSON comes from python-json-logger; only the
field names and what is left out are chosen here: Django's `django.request` records carry the
request object, whose repr holds the query string (signed download tokens), so it is dropped.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is kept when it is short and plain (no spaces, quotes or control characters
# that could forge a log line or a header); otherwise the server makes one.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request: ContextVar[HttpRequest | None] = ContextVar("quickcare_request", default=None)
_request_id: ContextVar[str | None] = ContextVar("quickcare_request_id", default=None)

request_logger = logging.getLogger("quickcare.request")

# Attributes a record may carry that must never be written: the request (its repr has the
# query string, where signed download tokens travel) and Django's server socket.
NEVER_LOGGED = ("request", "server_time")


def current_request_id() -> str | None:
    return _request_id.get()


def clean_request_id(value: str | None) -> str:
    """The client's `X-Request-ID` when it is safe to echo and log, else a new one."""
    if value and REQUEST_ID_RE.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _user_id(request: HttpRequest | None) -> str | None:
    """The authenticated user's id, without ever loading a user only for a log line.

    Django's AuthenticationMiddleware leaves a lazy object (reading it would query the session);
    DRF's authentication replaces it with the user it found, JWT callers included."""
    if request is None:
        return None
    if answered_for := request.__dict__.get("cache_user_id"):  # core.cache_fast_path
        return str(answered_for)
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return str(user.pk)


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id, method and path (None outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        # django.request's lines are written after the middleware returned: they carry it.
        carried = record.__dict__.get("request")
        if request is None and isinstance(carried, HttpRequest):
            request = carried
        record.request_id = (
            getattr(record, "request_id", None)
            or _request_id.get()
            or getattr(request, "request_id", None)
        )
        if not getattr(record, "user_id", None):
            record.user_id = _user_id(request)
        if request is not None:
            record.method = getattr(record, "method", None) or request.method
            record.path = getattr(record, "path", None) or request.path
        for name in ("method", "path", "status", "duration_ms"):
            if not hasattr(record, name):
                setattr(record, name, None)
        for name in NEVER_LOGGED:
            record.__dict__.pop(name, None)
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with QuickCare's field names: time (ISO 8601, UTC),
    level, logger, message, then the request fields and any `extra`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, *NEVER_LOGGED])
        kwargs.setdefault("timestamp", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """Development: `time level logger [request user] message`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "fmt",
            "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s user=%(user_id)s] %(message)s",
        )
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        # "-" for a missing id on a copy: the record is shared with every other handler (a
        # JSON or Sentry one must still see None), so a formatter never writes into it.
        shown = logging.makeLogRecord(record.__dict__)
        for name in ("request_id", "user_id"):
            if getattr(shown, name, None) is None:
                setattr(shown, name, "-")
        return super().format(shown)


class RequestLogMiddleware:
    """First in MIDDLEWARE: names the request (X-Request-ID in and out), keeps it in the
    logging context while it runs, and writes one line when it ends (method, path without the
    query string, status, duration, user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        request_token = _request.set(request)
        id_token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={"status": response.status_code, "duration_ms": duration_ms},
            )
            return response
        finally:
            _request_id.reset(id_token)
            _request.reset(request_token)
