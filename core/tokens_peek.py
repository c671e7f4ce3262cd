"""Reading a bearer token without verifying it: only to *name* a cached private answer.

The fast path (core.cache_fast_path) keys a private answer by a digest of the whole token and
the user id in its payload. Nothing is trusted from an unverified token: an answer is found
only under the digest of a token that the full authentication accepted when the answer was
stored (core.cached_responses), so a forged or altered token has a digest with no answer and
goes through the framework, which refuses it. Its expiry is enforced by the stored answer
(it ends when the token does).
"""

import base64
import binascii
import hashlib
from typing import Any

import orjson
from rest_framework_simplejwt.settings import api_settings


def sends_credentials(meta: dict[str, Any]) -> bool:
    """Whether the request carries the header the JWT authentication reads."""
    return api_settings.AUTH_HEADER_NAME in meta


def bearer_token(meta: dict[str, Any]) -> str | None:
    """The token of the authentication header (`Authorization: Bearer <token>`, as simplejwt
    reads it: AUTH_HEADER_NAME and AUTH_HEADER_TYPES), else None."""
    header = meta.get(api_settings.AUTH_HEADER_NAME)
    if not header:
        return None
    parts = header.split()
    if len(parts) != 2 or parts[0] not in api_settings.AUTH_HEADER_TYPES:
        return None
    return parts[1]


def token_user_id(token: str) -> str | None:
    """The user id claim of a JWT's payload as text, or None if it is not a readable JWT."""
    segments = token.split(".")
    if len(segments) != 3:
        return None
    payload = segments[1]
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(claims, dict):
        return None
    user_id = claims.get(api_settings.USER_ID_CLAIM)
    return None if user_id is None else str(user_id)


def token_digest(token: str) -> str:
    return hashlib.blake2b(token.encode(), digest_size=16).hexdigest()
