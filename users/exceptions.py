"""Errors of the users app that need a status the core hierarchy does not have."""

from rest_framework import exceptions, status

from core.error_codes import ErrorCode
from core.exceptions import QuickCareError


class Unauthorized(QuickCareError):
    """Credentials were wrong or can no longer be used (rendered as 401 `{message, code}`)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = ErrorCode.AUTHENTICATION_FAILED


class RetryLater(exceptions.Throttled):
    """429 with `Retry-After`: DRF's Throttled, so the one handler keeps the header."""

    default_code = ErrorCode.THROTTLED
