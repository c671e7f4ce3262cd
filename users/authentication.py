"""JWT authentication that also ends the access tokens of a signed-out session.

A login's tokens share a `sid` claim (simplejwt copies refresh claims into each access token,
and rotation keeps them). Logout blacklists the refresh token and records the sid, so the
access tokens issued with it stop working at once instead of living out their 15 minutes.
The check rides on the user lookup simplejwt makes anyway: no extra query per request.
A successful lookup is cached for the token's life (users/auth_cache.py: exact invalidation
on every user save, logout and session revoke), so most requests make no query at all.

A token this process has verified is not verified again (`_verified`): decoding it (PyJWT's
HMAC check and claims) was 11 % of the desk's queue read in a cProfile of 1,000 reads. The
verification of the same bytes under the same key always gives the same answer; what changes
with time, the expiry, is checked on every use, and the session, the user and the password
claim are checked on every request as before. At most VERIFIED_TOKENS_KEPT tokens are kept.

A token's first request reads the user and the session's revocation with one hand-written
statement (`user_with_revocation`): the ORM's composition and compilation of the same query
cost 0.88-1.03 ms of CPU per lookup against 0.16-0.20 ms (500 lookups on the bench's database),
and a booking in the bench is mostly a token's first request (2,000 patients); the row is built
into the user as the ORM builds it (`core.db_rows`).
"""

import functools
import time
from collections.abc import Hashable
from typing import Any

from django.db import connection
from django.db.models import Field
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from core.cached_responses import AUTH_VERSION_ATTR
from core.db_rows import all_fields, instance_from_row
from core.error_codes import ErrorCode
from users import auth_cache
from users.models import RevokedSession, User
from users.tokens import session_id_of

VERIFIED_TOKENS_KEPT = 10_000
_verified: dict[Hashable, tuple[float, Any]] = {}


def forget_verified_tokens() -> None:
    """Verify every token again from the next request on (tests)."""
    _verified.clear()


class SessionJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Any:
        key = (raw_token, api_settings.SIGNING_KEY)
        kept = _verified.get(key)
        if kept is not None and time.time() < kept[0]:
            return kept[1]
        token = super().get_validated_token(raw_token)
        expires = token.get("exp")
        if isinstance(expires, int | float) and not isinstance(expires, bool):
            if len(_verified) >= VERIFIED_TOKENS_KEPT:
                _verified.clear()  # simple and bounded: the next requests verify again
            _verified[key] = (float(expires), token)
        return token

    def get_user(self, validated_token: Any) -> Any:
        sid = session_id_of(validated_token)
        if sid is None:  # issued without a session (e.g. before sessions existed)
            return super().get_user(validated_token)
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        version: str | None = None
        found: Any = None
        if auth_cache.enabled():
            version, found = auth_cache.lookup(user_id, sid)
        if found is None:
            found = self._lookup(user_id, sid)
            if version and found is not None and not found.session_revoked and found.is_active:
                auth_cache.put(user_id, sid, version, found, expires_at=validated_token.get("exp"))
        if found is None:
            raise AuthenticationFailed("User not found", code=ErrorCode.USER_NOT_FOUND)
        if found.session_revoked:
            raise AuthenticationFailed(
                "This session has been signed out.", code=ErrorCode.SESSION_REVOKED
            )
        if api_settings.CHECK_USER_IS_ACTIVE and not found.is_active:
            raise AuthenticationFailed("User is inactive", code=ErrorCode.USER_INACTIVE)
        claim = validated_token.get(api_settings.REVOKE_TOKEN_CLAIM)
        if api_settings.CHECK_REVOKE_TOKEN and claim != get_md5_hash_password(found.password):
            raise AuthenticationFailed(
                "The user's password has been changed.", code=ErrorCode.PASSWORD_CHANGED
            )
        if version is not None:  # read before the user and session were: private answers
            setattr(found, AUTH_VERSION_ATTR, version)  # are keyed by it (core.cached_responses)
        return found

    @staticmethod
    def _lookup(user_id: Any, sid: str) -> Any:
        """The user annotated with `session_revoked`, or None."""
        return user_with_revocation(user_id, sid)


def user_with_revocation(user_id: Any, sid: str) -> User | None:
    """The user `user_id` names (every column, as `User.objects...first()` loads it) with
    `session_revoked`: whether the session `sid` is signed out. One hand-written statement
    (`_lookup_sql`), the row built as the ORM builds it (`core.db_rows`)."""
    key = User._meta.get_field(api_settings.USER_ID_FIELD)
    assert isinstance(key, Field)
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [sid, key.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    user = instance_from_row(User, "u", all_fields(User), row[:-1])
    setattr(user, "session_revoked", bool(row[-1]))  # noqa: B010 (not a field of User)
    return user


@functools.cache
def _lookup_sql() -> str:
    """The ORM's `annotate(session_revoked=Exists(...)).filter(<USER_ID_FIELD>=...).first()`,
    written once: composing and compiling it was most of a cold token's authentication
    (`python -m bench.profile --booking`: a booking is mostly a token's first request). Names
    come from model metadata; the values are bound."""
    quote = connection.ops.quote_name
    user, revoked = User._meta, RevokedSession._meta
    assert user.pk is not None
    columns = ", ".join(f"u.{quote(str(field.column))}" for field in user.concrete_fields)
    key, sid = user.get_field(api_settings.USER_ID_FIELD), revoked.get_field("sid")
    assert isinstance(key, Field)
    assert isinstance(sid, Field)
    revoked_sql = (
        f"SELECT 1 FROM {quote(revoked.db_table)} r"  # noqa: S608 (names from the models)
        f" WHERE r.{quote(str(sid.column))} = %s"
    )
    return (
        f"SELECT {columns}, EXISTS ({revoked_sql}) FROM {quote(user.db_table)} u"  # noqa: S608
        f" WHERE u.{quote(str(key.column))} = %s ORDER BY u.{quote(str(user.pk.column))} LIMIT 1"
    )


class SessionJWTScheme(SimpleJWTScheme):
    """The OpenAPI security scheme stays simplejwt's `jwtAuth`."""

    target_class = "users.authentication.SessionJWTAuthentication"
