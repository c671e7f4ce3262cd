"""Error reporting to Sentry, only when `SENTRY_DSN` is set, and never with secrets.

`send_default_pii` is off (no user emails, IPs, cookies or bodies added by the SDK), and
`before_send` strips what could still travel with an event: cookies and credentials headers of
every request, and the body and query string of the paths that carry OTPs, passwords, tokens
or medical documents.
"""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

# Paths whose request bodies or query strings hold secrets: OTPs and passwords (onboarding,
# login, password change), refresh tokens (refresh, logout), temporary passwords (members),
# document files and their signed download tokens.
SENSITIVE_PATH_RE = re.compile(
    r"^/api/(users/(onboarding|login|logout|password|token)|clinics/.*members|documents)(/|$)"
)
CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-api-key"})
FILTERED = "[Filtered]"


def _path_of(request: dict[str, Any]) -> str:
    url = str(request.get("url") or "")
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    return path.split("?", 1)[0] or "/"


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Scrubs the event's request in place; the event is always sent (never dropped)."""
    request = event.get("request")
    if not isinstance(request, dict):
        return event
    request.pop("cookies", None)
    headers = request.get("headers")
    if isinstance(headers, dict):
        for name in list(headers):
            if name.lower() in CREDENTIAL_HEADERS:
                headers[name] = FILTERED
    if SENSITIVE_PATH_RE.match(_path_of(request)):
        if "data" in request:
            request["data"] = FILTERED
        if request.get("query_string"):
            request["query_string"] = FILTERED
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    return event


def init_sentry(
    *, dsn: str, environment: str = "production", traces_sample_rate: float = 0.0
) -> bool:
    """Starts the SDK with the Django integration; does nothing (False) without a DSN."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=before_send,  # type: ignore[arg-type]
        traces_sample_rate=traces_sample_rate,
    )
    return True
