"""Who is asking, from where: the request facts every access-log row records."""

import ipaddress
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

USER_AGENT_MAX = 255


@dataclass(frozen=True)
class AccessContext:
    actor: Any
    ip_address: str | None
    user_agent: str

    def as_actor(self, actor: Any) -> "AccessContext":
        return replace(self, actor=actor)


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from: what a log row records besides who made it."""

    ip_address: str | None
    user_agent: str

    def by(self, actor: Any) -> AccessContext:
        return AccessContext(actor=actor, ip_address=self.ip_address, user_agent=self.user_agent)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the X-Forwarded-For hop NUM_PROXIES designates (DRF's throttle rule)."""
    ident = BaseThrottle().get_ident(request)  # type: ignore[arg-type]  # reads only META
    for candidate in (ident, request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address(str(candidate).strip()))
        except ValueError:
            continue
    return None


def request_meta(request: HttpRequest) -> RequestMeta:
    """Read from META only: never triggers authentication."""
    # PostgreSQL text columns refuse NUL bytes, which a client can put in any header.
    user_agent = str(request.META.get("HTTP_USER_AGENT", "")).replace("\x00", "")
    return RequestMeta(ip_address=client_ip(request), user_agent=user_agent[:USER_AGENT_MAX])


def access_context(request: HttpRequest) -> AccessContext:
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    return request_meta(request).by(actor)
