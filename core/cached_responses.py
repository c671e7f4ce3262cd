"""Rendered answers kept in the cache with the data versions they were computed under: public
reads and private lists.

`cached_get(versions, ...)` decorates a DRF view's `get`. An answer is stored under the
request (view, scheme, host, full path, `Accept`), a time bucket and, for a private answer,
the caller (a digest of the bearer token, the user id), together with the versions of every
kind of data it was computed from (`core.response_cache`: read *before* computing) and, for a
private answer, the user's authentication version. It is served only while all of them are
still current: a write bumps the versions it can change, so the stored answer no longer
matches and is computed again. The versions and the answer are read in one round trip.

Three scopes:

- public (`GET /api/doctors/`, slots): one answer for everyone; `Cache-Control: public`.
- anonymous only (a clinic page: its owner sees an inactive clinic): shared by anonymous
  callers; others are answered as before (`Vary: Authorization`).
- private (`GET /api/appointments/my/`, the doctor's day): one answer per access token. The
  key carries the authentication version the request was authenticated under
  (`users.authentication` records it *before* it reads the user and the session), so a
  logout, a session revoke, a deactivation, a password or role change all end the stored
  answers at once. The permission checks run again *after* the versions are read, so a
  membership ended in between cannot leave a 200 under the new versions. An answer lives at
  most until the token expires; `Cache-Control: private, no-cache` (revalidate with
  `If-None-Match`: 304).

The time bucket of a private answer (RESPONSE_CACHE_BUCKET_SECONDS, 900 s: every UTC offset in
use is a multiple of 15 minutes) ends it at least once per local quarter-hour, so lists that
depend on the date (an age) move on with the clock without a write. Public views say
themselves when the clock ends their answer (`Freshness`).

200 answers only (never errors, never a response setting a cookie). Each answer marks the
request with its `FastRoute`, which `core.cache_fast_path` remembers to answer the next equal
request from the cache before the framework runs.
"""

import functools
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request

from core.response_cache import digest, versions_and_value
from core.tokens_peek import bearer_token, token_digest, token_user_id

_RESPONSE = "qc:r:"
# Headers of a view's answer worth keeping (DRF adds Allow and Vary again on every answer).
_KEPT_HEADERS = ("Content-Type", "X-Total-Count", "Link")
# Set on the user by the authentication: the version its lookup was made under.
AUTH_VERSION_ATTR = "_qc_auth_version"

Scope = Literal["public", "anonymous", "private"]


@dataclass(frozen=True)
class Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    max_age: int
    expires_at: float | None = None  # wall-clock end of validity (slots of today, the token)
    # The data versions it was computed under, then (private) the authentication version.
    versions: tuple[str, ...] = ()


@dataclass
class Freshness:
    """Set by a view on `request.cache_freshness` when its answer expires at a known moment
    (epoch seconds), e.g. today's slots when the next candidate time passes."""

    expires_at: float | None = None


@dataclass(frozen=True)
class FastRoute:
    """What an answered request needs to be answered again without the view: the view, the
    version keys it read, its scope and time bucket (`core.cache_fast_path`)."""

    view_name: str
    scope: Scope
    keys: tuple[str, ...]
    bucket: int


@dataclass(frozen=True)
class Caller:
    """Whose private answer this is: the token's digest and user, and the user's auth version."""

    token_digest: str
    user_id: str
    auth_version: str


def time_bucket(scope: Scope) -> int:
    """The private answers' current time bucket; 0 for public answers, whose views say
    themselves when the clock ends them (`Freshness`: today's slots, a clinic's midnight)."""
    if scope != "private":
        return 0
    return int(time.time() // settings.RESPONSE_CACHE_BUCKET_SECONDS)


def response_key(
    request: HttpRequest, view_name: str, host: str, bucket: int, caller: Caller | None
) -> str:
    """The one key derivation, shared by the view (`cached_get`) and the fast path."""
    parts = (
        view_name,
        request.scheme,
        host,
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        bucket,
        (caller.token_digest, caller.user_id) if caller else None,
    )
    return _RESPONSE + digest(parts)


def expected_versions(versions: Sequence[str], caller: Caller | None) -> tuple[str, ...]:
    """What a stored answer must carry to be served now."""
    return (*versions, caller.auth_version) if caller else tuple(versions)


def etag_of(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _not_modified(meta: dict[str, Any], etag: str) -> bool:
    header = meta.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def usable(entry: Any, versions: tuple[str, ...]) -> bool:
    return (
        isinstance(entry, Entry)
        and entry.versions == versions
        and (entry.expires_at is None or time.time() < entry.expires_at)
    )


def answer(meta: dict[str, Any], entry: Entry, scope: Scope) -> HttpResponseBase:
    """The stored answer (or 304 for a matching `If-None-Match`) with its cache headers."""
    response: HttpResponseBase
    if _not_modified(meta, entry.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.content)
        for name, value in entry.headers:
            response[name] = value
    response["ETag"] = entry.etag
    if scope == "private":
        response["Cache-Control"] = "private, no-cache"
        return response
    max_age = entry.max_age
    if entry.expires_at is not None:
        max_age = max(0, min(max_age, int(entry.expires_at - time.time())))
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def request_caller(request: Request) -> Caller | None:
    """The private answer's owner, or None when this request cannot be keyed safely (no
    bearer token, a token of another user, no authentication version recorded)."""
    token = bearer_token(request.META)
    version = getattr(request.user, AUTH_VERSION_ATTR, None)
    if not token or version is None:
        return None
    user_id = token_user_id(token)
    if user_id is None or user_id != str(request.user.pk):
        return None
    return Caller(token_digest(token), user_id, str(version))


def _cacheable(request: Request, scope: Scope) -> bool:
    if getattr(request, "accepted_renderer", None) is None:
        return False
    if request.accepted_renderer.format != "json":  # the browsable API (DEBUG) is not stored
        return False
    if scope == "anonymous":
        return not request.user.is_authenticated
    return True


VersionKeys = Callable[[Request, dict[str, Any]], Sequence[str]]


def cached_get(
    versions: VersionKeys, *, anonymous_only: bool = False, private: bool = False
) -> Callable[..., Any]:
    """Decorates a DRF view's `get`: a stored answer when the versions of `versions(request,
    kwargs)` are unchanged, else the view's answer, rendered and stored (200s only).

    `anonymous_only`: the body differs for some signed-in callers, so only anonymous callers
    share stored answers; others are answered as before. `private`: the answer is the
    caller's own (see the module docstring). A view whose answer expires at a moment it only
    learns while computing (today's slots) sets `request.cache_freshness.expires_at`."""
    scope: Scope = "private" if private else "anonymous" if anonymous_only else "public"

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        view_name = f"{method.__module__}.{method.__qualname__}"

        @functools.wraps(method)
        def get(view: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            response = _get(view, request, *args, **kwargs)
            if scope != "public":  # shared caches must not mix callers' answers
                patch_vary_headers(response, ("Authorization",))
            return response

        def _get(view: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            if not settings.RESPONSE_CACHE_ENABLED or not _cacheable(request, scope):
                return method(view, request, *args, **kwargs)
            caller = request_caller(request) if scope == "private" else None
            if scope == "private" and caller is None:
                return method(view, request, *args, **kwargs)
            keys = tuple(versions(request, kwargs))
            bucket = time_bucket(scope)
            key = response_key(request._request, view_name, request.get_host(), bucket, caller)
            current, entry = versions_and_value(keys, key)
            expected = expected_versions(current, caller)
            if scope == "private":
                view.check_permissions(request)  # again, after the versions were read
            # A throttled view is never answered before the framework (it would skip the count).
            route = None if view.get_throttles() else FastRoute(view_name, scope, keys, bucket)
            if usable(entry, expected):
                if route:
                    request._request.cache_fast_route = route  # type: ignore[attr-defined]
                return answer(request.META, entry, scope)
            request.cache_freshness = Freshness()  # type: ignore[attr-defined]
            response = method(view, request, *args, **kwargs)
            response = view.finalize_response(request, response, *args, **kwargs)
            response.render()
            if response.status_code != 200 or response.cookies:
                return response
            expires_at = request.cache_freshness.expires_at  # type: ignore[attr-defined]
            if scope == "private":
                token_end = token_end_of(request)
                expires_at = token_end if expires_at is None else min(expires_at, token_end)
            entry = _entry(response, expires_at, expected)
            timeout = settings.RESPONSE_CACHE_TTL_SECONDS
            if entry.expires_at is not None:
                timeout = min(timeout, int(entry.expires_at - time.time()))
            if timeout > 0:
                cache.set(key, entry, timeout=timeout)
                if route:
                    request._request.cache_fast_route = route  # type: ignore[attr-defined]
            return answer(request.META, entry, scope)

        return get

    return decorate


def token_end_of(request: Request) -> float:
    """When the request's access token expires (epoch seconds); now when unknown."""
    try:
        return float(request.auth["exp"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return time.time()  # unknown: not stored


def _entry(response: HttpResponse, expires_at: float | None, versions: tuple[str, ...]) -> Entry:
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
    return Entry(
        content=response.content,
        headers=headers,
        etag=etag_of(response.content),
        max_age=settings.PUBLIC_CACHE_MAX_AGE_SECONDS,
        expires_at=expires_at,
        versions=versions,
    )
