"""JWT pairs carrying an `auth_time` claim (when the user last proved who they are) and a
`sid` claim (which sign-in they belong to, so logout can end that session's access tokens).

The claim is set at login and OTP verification and survives refresh (simplejwt copies
refresh claims into each access token), so a password change can tell a fresh sign-in
from a week-old refresh chain.
"""

import uuid
from typing import Any, TypedDict

from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User

AUTH_TIME_CLAIM = "auth_time"
# One id per sign-in, shared by its refresh token (through every rotation) and every access
# token minted from it, so logout can end them together (see users.authentication).
SESSION_CLAIM = "sid"


class TokenPair(TypedDict):
    access: str
    refresh: str


def now_epoch() -> int:
    return int(timezone.now().timestamp())


def issue_tokens(*, user: User, auth_time: int | None = None) -> TokenPair:
    """A fresh refresh/access pair; `auth_time` defaults to now (a sign-in just happened)."""
    refresh = RefreshToken.for_user(user)
    refresh[AUTH_TIME_CLAIM] = now_epoch() if auth_time is None else auth_time
    refresh[SESSION_CLAIM] = uuid.uuid4().hex
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def auth_time_of(token: Any) -> int | None:
    """The `auth_time` claim of a validated token (None for tokens issued without it)."""
    if token is None:
        return None
    value = token.get(AUTH_TIME_CLAIM) if hasattr(token, "get") else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def session_id_of(token: Any) -> str | None:
    """The `sid` claim of a validated token (None for tokens issued without one)."""
    value = token.get(SESSION_CLAIM) if hasattr(token, "get") else None
    return value if isinstance(value, str) and value else None
