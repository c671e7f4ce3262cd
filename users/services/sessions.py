"""Logout: the refresh token is blacklisted and its session's access tokens end with it."""

from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from core.error_codes import ErrorCode
from users import auth_cache
from users.exceptions import Unauthorized
from users.models import RevokedSession
from users.tokens import session_id_of

INVALID_REFRESH = "This refresh token is invalid, expired or already signed out."


def user_logout(*, refresh: str) -> None:
    """Blacklist `refresh` and revoke its session; 401 for a bad, foreign or used token.

    Holding the refresh token is the authority to end it (as with refresh itself), so no
    access token is needed: an app can sign out even after its access token expired.
    """
    try:
        token = RefreshToken(cast(Any, refresh))  # signature, expiry, type and blacklist
    except TokenError as exc:
        raise Unauthorized(INVALID_REFRESH, code=ErrorCode.TOKEN_NOT_VALID) from exc
    now = timezone.now()
    try:
        with transaction.atomic():
            token.blacklist()
    except IntegrityError:  # a concurrent logout with the same token won the insert
        pass
    sid = session_id_of(token)
    if sid is None:
        return
    # An access token lives at most ACCESS_TOKEN_LIFETIME: the row is useless after that.
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    RevokedSession.objects.bulk_create(
        [RevokedSession(sid=sid, expires_at=now + lifetime)], ignore_conflicts=True
    )
    RevokedSession.objects.filter(expires_at__lt=now).delete()
    # The session's access tokens were cached as valid: drop the user's cached lookups.
    auth_cache.forget_user(token.get(settings.SIMPLE_JWT.get("USER_ID_CLAIM", "user_id")))
