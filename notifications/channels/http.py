"""One POST with a timeout for the HTTP channel backends; answers are checked by the caller."""

from typing import Any

import httpx
from django.conf import settings

from notifications.channels import ChannelError


def post_json(
    url: str, *, payload: dict[str, Any], token: str, transport: httpx.BaseTransport | None
) -> httpx.Response:
    """POST `payload` with a Bearer token; connection failures become ChannelError (retried
    by the sweep with backoff, not here: a send holds its row lock)."""
    headers = {"Authorization": f"Bearer {token}"}
    timeout = settings.NOTIFICATION_HTTP_TIMEOUT_SECONDS
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            return client.post(url, json=payload, headers=headers)
    except httpx.TransportError as exc:
        raise ChannelError(f"{type(exc).__name__}: {exc}") from exc


def error_text(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}: {response.text[:200]}"
