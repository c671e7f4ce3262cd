"""Throttles for OTP and login endpoints; counters live in the cache (Redis in production),
so several app servers share them. Each rate is a setting (see `.env.example`)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from core.fields import parse_indian_mobile


class ContactRateThrottle(SimpleRateThrottle):
    """Keyed by the `contact` in the body (normalised), falling back to the client address."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        raw = request.data.get("contact") if hasattr(request.data, "get") else None
        contact = parse_indian_mobile(raw) if raw is not None else None
        ident = contact or self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IPRateThrottle(SimpleRateThrottle):
    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OTPSendContactThrottle(ContactRateThrottle):
    scope = "otp_send_contact"


class OTPSendIPThrottle(IPRateThrottle):
    scope = "otp_send_ip"


class OTPVerifyContactThrottle(ContactRateThrottle):
    scope = "otp_verify_contact"


class OTPVerifyIPThrottle(IPRateThrottle):
    scope = "otp_verify_ip"


class LoginIPThrottle(IPRateThrottle):
    scope = "login_ip"


class CheckContactIPThrottle(IPRateThrottle):
    scope = "check_contact_ip"
