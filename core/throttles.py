"""Throttles for OTP and login endpoints; counters live in the cache (Redis in production),
so several app servers share them. Each rate is a setting (see `.env.example`)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from core.fields import parse_indian_mobile


def client_address(request: Request) -> str:
    """The client's address as the throttles see it (X-Forwarded-For trusted per NUM_PROXIES)."""
    return str(BaseThrottle().get_ident(request))


def _contact_of(request: Request) -> str | None:
    raw = request.data.get("contact") if hasattr(request.data, "get") else None
    return parse_indian_mobile(raw) if raw is not None else None


class ContactRateThrottle(SimpleRateThrottle):
    """Keyed by the `contact` in the body (normalised), falling back to the client address."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        ident = _contact_of(request) or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ContactAndIPRateThrottle(SimpleRateThrottle):
    """Keyed by contact and client address: one address's requests never use up another's."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        ident = f"{_contact_of(request) or '-'}:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IPRateThrottle(SimpleRateThrottle):
    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OTPSendContactThrottle(ContactRateThrottle):
    scope = "otp_send_contact"


class OTPSendIPThrottle(IPRateThrottle):
    scope = "otp_send_ip"


class OTPVerifyContactThrottle(ContactAndIPRateThrottle):
    """Per contact and address, so guesses from elsewhere cannot lock the owner out."""

    scope = "otp_verify_contact"


class OTPVerifyContactCeilingThrottle(ContactRateThrottle):
    """A higher per-contact ceiling across all addresses: stops a distributed guess."""

    scope = "otp_verify_contact_ceiling"


class OTPVerifyIPThrottle(IPRateThrottle):
    scope = "otp_verify_ip"


class LoginIPThrottle(IPRateThrottle):
    scope = "login_ip"


class CheckContactIPThrottle(IPRateThrottle):
    scope = "check_contact_ip"
