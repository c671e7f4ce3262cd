"""OAuth 2.0 access tokens for FCM HTTP v1, minted from a Google service account.

Hand-written instead of google-auth: the documented server-to-server flow is one signed JWT
and one form POST, and PyJWT (with cryptography) is already installed, so a new dependency
(with its own HTTP stack, untestable through our httpx transport injection) buys nothing.

The flow (Google's "OAuth 2.0 for Server to Server Applications"): a JWT signed RS256 with
the service account's private key, claims iss=client_email, scope=firebase.messaging,
aud=token_uri, iat and exp=iat+3600, is POSTed to token_uri as the form
grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>; the JSON answer has
`access_token` and `expires_in`. The token is kept in Django's cache (shared by the workers)
until a minute before it expires; FCM answering 401 makes the caller ask for a fresh one.
FCM_ACCESS_TOKEN, when set, overrides all of this and is used as is.
"""

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
from django.conf import settings
from django.core.cache import cache

from notifications.channels import ChannelError
from notifications.channels.http import error_text

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 3600
# Stop using a cached token this long before Google says it expires.
EXPIRY_MARGIN_SECONDS = 60


def service_account() -> dict[str, Any] | None:
    """The service-account JSON (FCM_SERVICE_ACCOUNT_JSON inline, else the file
    FCM_SERVICE_ACCOUNT_FILE); None when neither is set. Unreadable: ChannelError."""
    text = settings.FCM_SERVICE_ACCOUNT_JSON
    if not text and settings.FCM_SERVICE_ACCOUNT_FILE:
        try:
            text = Path(settings.FCM_SERVICE_ACCOUNT_FILE).read_text(encoding="utf-8")
        except OSError as exc:
            raise ChannelError(f"FCM service account file unreadable: {exc}") from exc
    if not text:
        return None
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise ChannelError("FCM service account is not JSON.") from exc
    if not isinstance(info, dict) or not info.get("client_email") or not info.get("private_key"):
        raise ChannelError("FCM service account lacks client_email or private_key.")
    return info


def assertion(info: dict[str, Any], *, now: int | None = None) -> str:
    """The signed JWT Google exchanges for an access token."""
    issued = int(time.time()) if now is None else now
    claims = {
        "iss": info["client_email"],
        "scope": SCOPE,
        "aud": info.get("token_uri") or DEFAULT_TOKEN_URI,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME_SECONDS,
    }
    headers = {"kid": info["private_key_id"]} if info.get("private_key_id") else None
    try:
        return jwt.encode(claims, info["private_key"], algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise ChannelError(f"FCM service account key unusable: {type(exc).__name__}") from exc


def _cache_key(info: dict[str, Any]) -> str:
    who = f"{info['client_email']} {info.get('token_uri') or DEFAULT_TOKEN_URI}"
    return "notifications:fcm-token:" + hashlib.sha256(who.encode()).hexdigest()[:32]


def _mint(info: dict[str, Any], transport: httpx.BaseTransport | None) -> tuple[str, int]:
    form = {"grant_type": GRANT_TYPE, "assertion": assertion(info)}
    timeout = settings.NOTIFICATION_HTTP_TIMEOUT_SECONDS
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.post(info.get("token_uri") or DEFAULT_TOKEN_URI, data=form)
    except httpx.TransportError as exc:
        raise ChannelError(f"FCM token request: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise ChannelError(f"FCM token request refused: {error_text(response)}")
    try:
        body = response.json()
        token, lifetime = str(body["access_token"]), int(body.get("expires_in", 0))
    except (ValueError, KeyError, TypeError) as exc:
        raise ChannelError("FCM token answer has no access_token.") from exc
    return token, lifetime


def access_token(*, transport: httpx.BaseTransport | None = None, refresh: bool = False) -> str:
    """The Bearer token for FCM: FCM_ACCESS_TOKEN if set, else the cached service-account
    token (minted when absent, or when `refresh` says FCM refused the cached one)."""
    if settings.FCM_ACCESS_TOKEN:
        return str(settings.FCM_ACCESS_TOKEN)
    info = service_account()
    if info is None:
        raise ChannelError(
            "FCM has no credentials: set FCM_SERVICE_ACCOUNT_FILE (or _JSON) or FCM_ACCESS_TOKEN."
        )
    key = _cache_key(info)
    if not refresh:
        cached = cache.get(key)
        if cached:
            return str(cached)
    token, lifetime = _mint(info, transport)
    if lifetime > EXPIRY_MARGIN_SECONDS:
        cache.set(key, token, timeout=lifetime - EXPIRY_MARGIN_SECONDS)
    return token


def project_id() -> str:
    """FCM_PROJECT_ID, else the service account's project_id."""
    if settings.FCM_PROJECT_ID:
        return str(settings.FCM_PROJECT_ID)
    info = service_account() or {}
    project = str(info.get("project_id") or "")
    if not project:
        raise ChannelError("FCM has no project: set FCM_PROJECT_ID.")
    return project
