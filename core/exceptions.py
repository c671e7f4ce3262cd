"""The domain-error hierarchy and the one exception handler that renders every API error.

Errors render as `{"message": "...", "code": "..."}` (plus any `extra` keys), or DRF's
field dict for validation errors, keeping DRF's headers (`Retry-After`, `WWW-Authenticate`).
Every `code` is a `core.error_codes.ErrorCode` (DRF's and simplejwt's codes included).
"""

import math
import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from core.error_codes import ErrorCode
from core.roles import MEMBER_ONBOARDING_URL, PASSWORD_CHANGE_URL


class QuickCareError(Exception):
    """A rule of the domain was not met; rendered as `{"message", "code", **extra}`."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, code: ErrorCode | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code: ErrorCode = code or self.default_code
        self.extra = extra


class InvalidState(QuickCareError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = ErrorCode.INVALID_STATE


class NotPermitted(QuickCareError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = ErrorCode.NOT_PERMITTED


class NotFound(QuickCareError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = ErrorCode.NOT_FOUND


class Conflict(QuickCareError):
    status_code = status.HTTP_409_CONFLICT
    default_code = ErrorCode.CONFLICT


class OnboardingRequired(exceptions.PermissionDenied):
    """A staff member who has not completed onboarding tried anything but the allowed calls."""

    default_detail = "Please complete your onboarding to access this feature."
    default_code = ErrorCode.ONBOARDING_REQUIRED


class PasswordChangeRequired(exceptions.PermissionDenied):
    """The account still uses a clinic-issued temporary password: only password change,
    `me` and token refresh are open until it is replaced."""

    default_detail = "Please choose a new password to continue."
    default_code = ErrorCode.PASSWORD_CHANGE_REQUIRED


# DRF appends "Expected available in N seconds." to a Throttled detail; we say it for people.
_DRF_WAIT_SUFFIX = re.compile(r"\s*Expected available in \d+ seconds?\.$")
_DRF_THROTTLED = str(exceptions.Throttled.default_detail)
TOO_MANY_ATTEMPTS = "Too many attempts."


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def human_wait(seconds: float) -> str:
    """45 -> "45 seconds", 897 -> "15 minutes", 7200 -> "2 hours" (rounded up: never sooner)."""
    wait = max(1, math.ceil(seconds))
    if wait < 60:
        return _plural(wait, "second")
    if wait < 3600:
        return _plural(math.ceil(wait / 60), "minute")
    return _plural(math.ceil(wait / 3600), "hour")


def throttled_message(detail: Any, wait: float | None) -> str:
    """ "Too many attempts. Try again in 15 minutes." from DRF's or our own Throttled detail."""
    base = _DRF_WAIT_SUFFIX.sub("", str(detail)).strip()
    if not base or base == _DRF_THROTTLED:
        base = TOO_MANY_ATTEMPTS
    if wait is None:
        return f"{base} Please try again later."
    return f"{base} Try again in {human_wait(wait)}."


def _message_response(
    message: Any,
    code: str,
    status_code: int,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"message": str(message), "code": code, **extra}
    return Response(body, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, QuickCareError):
        return _message_response(exc.message, exc.code, exc.status_code, **exc.extra)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    headers = {
        k: v for k, v in response.headers.items() if k in ("Retry-After", "WWW-Authenticate")
    }
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, list):
            return _message_response(
                " ".join(str(item) for item in data),
                ErrorCode.INVALID,
                response.status_code,
                headers,
            )
        return response

    detail = exc.detail
    if isinstance(detail, dict):  # simplejwt's InvalidToken carries {"detail", "code", ...}
        message = detail.get("detail", "")
        code = str(detail.get("code", exc.default_code))
    else:
        message = detail
        code = getattr(detail, "code", None) or exc.default_code
    extra: dict[str, Any] = {}
    if isinstance(exc, OnboardingRequired):
        extra = {"onboarding_required": True, "onboarding_url": MEMBER_ONBOARDING_URL}
    elif isinstance(exc, PasswordChangeRequired):
        extra = {"password_change_required": True, "password_change_url": PASSWORD_CHANGE_URL}
    elif isinstance(exc, exceptions.Throttled):
        wait: float | None = getattr(exc, "wait", None)
        message = throttled_message(message, wait)
        if wait is not None:
            extra = {"retry_after": math.ceil(wait)}
    return _message_response(message, str(code), response.status_code, headers, **extra)
