"""The domain-error hierarchy and the one exception handler that renders every API error.

Errors render as `{"message": "...", "code": "..."}` (plus any `extra` keys), or DRF's
field dict for validation errors, keeping DRF's headers (`Retry-After`, `WWW-Authenticate`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from core.roles import MEMBER_ONBOARDING_URL


class QuickCareError(Exception):
    """A rule of the domain was not met; rendered as `{"message", "code", **extra}`."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra


class InvalidState(QuickCareError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_state"


class NotPermitted(QuickCareError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_permitted"


class NotFound(QuickCareError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


class Conflict(QuickCareError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class OnboardingRequired(exceptions.PermissionDenied):
    """A staff member who has not completed onboarding tried anything but the allowed calls."""

    default_detail = "Please complete your onboarding to access this feature."
    default_code = "onboarding_required"


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
                " ".join(str(item) for item in data), "invalid", response.status_code, headers
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
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        extra = {"retry_after": int(wait + 0.999)}
    return _message_response(message, str(code), response.status_code, headers, **extra)
