"""Stored answers served before the framework runs (issue 16: public reads near the limit,
private lists in a few milliseconds).

Why by hand: a stored answer served by its view (`core.cached_responses.cached_get`) still
went through every middleware, URL resolution, DRF's request, content negotiation, JWT
authentication and permissions: about 1.7 ms of CPU per public read and several for a list
(`make bench`), where the limit app spends 1.3 ms on a query. This middleware answers an
equal request again with two cache round trips and nothing else.

How it stays exact. A request is answered here only when all of these hold:

- this process answered an *equal* request through the view in the same time bucket (the
  memo below: full path, the token's user id or none, the bucket), and remembered its
  `FastRoute` (view, scope, version keys) and the headers the inner middleware added;
- it is a GET without an `Origin` header (CORS answers vary by origin) and with a valid host;
- for a public answer, there is no `Authorization` header (the framework would check it);
  for a private one there is a bearer token, the entry is keyed by that token's digest and
  the user's current authentication version, and it ends when the token does;
- an answer is stored for it, every version key still exists, and the answer was computed
  under exactly the current versions (read with the answer in one round trip).

Anything else falls through to the framework, which answers as it always did (and stores).
The key is derived by the one function both sides use (`response_key`).

A read whose answer depends on the clock (the desk's queue) cannot be stored whole: its view
offers a `core.computed_routes.ComputedRoute` instead, and the answer is computed here from
its cached inputs under the same conditions (that module says how it stays exact), with every
header the framework's answer had but its length.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

from core import computed_routes
from core.cached_responses import (
    Caller,
    FastRoute,
    answer,
    response_key,
    time_bucket,
    usable,
)
from core.response_cache import VERSION_PREFIX, user_version_key
from core.tokens_peek import bearer_token, sends_credentials, token_digest, token_user_id

# Headers the stored entry or each answer sets itself, or that belong to one request.
_OWN_HEADERS = frozenset(
    name.lower()
    for name in (
        "Content-Type",
        "Content-Length",
        "X-Total-Count",
        "Link",
        "ETag",
        "Cache-Control",
        "Set-Cookie",
        "X-Request-ID",
        "Date",
    )
)
# A computed answer keeps every header of the framework's but these (its own, or one request's).
_COMPUTED_OWN_HEADERS = frozenset(("content-length", "set-cookie", "x-request-id", "date"))
MEMO_SIZE = 20_000


@dataclass(frozen=True)
class _Known:
    route: FastRoute | computed_routes.ComputedRoute
    envelope: tuple[tuple[str, str], ...]


_memo: dict[tuple[str, str | None, int], _Known] = {}


def forget_all() -> None:
    """Empty this process's memo (tests; a memo entry alone never serves anything stale)."""
    _memo.clear()


class CachedResponseMiddleware:
    """Right below SecurityMiddleware: its redirects and headers apply to every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or not settings.RESPONSE_CACHE_ENABLED:
            return self.get_response(request)
        meta = request.META
        if "HTTP_ORIGIN" in meta:
            return self.get_response(request)
        token = bearer_token(meta)
        if token is None and sends_credentials(meta):
            return self.get_response(request)
        user_id = token_user_id(token) if token else None
        if token and user_id is None:
            return self.get_response(request)
        full_path = request.get_full_path()
        known = _memo.get((full_path, user_id, time_bucket("private" if token else "public")))
        if known is not None:
            found = _answer_from_cache(request, known, token, user_id)
            if found is not None:
                return found
        response = self.get_response(request)
        _remember(request, response, full_path, user_id)
        return response


def _answer_from_cache(
    request: HttpRequest, known: _Known, token: str | None, user_id: str | None
) -> HttpResponseBase | None:
    route = known.route
    private = route.scope == "private"
    if private != (token is not None):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # the framework answers it (400)
    if isinstance(route, computed_routes.ComputedRoute):
        if token is None or user_id is None:
            return None
        computed = computed_routes.compute(request, route, token, user_id)
        return None if computed is None else _enveloped(request, computed, known, user_id)
    caller = None
    if token is not None and user_id is not None:
        caller = Caller(token_digest(token), user_id, "")
    key = response_key(request, route.view_name, host, route.bucket, caller)
    names = [VERSION_PREFIX + name for name in route.keys]
    if private:
        names.append(user_version_key(user_id))
    found = cache.get_many([key, *names])
    if len(found) != len(names) + 1:
        return None  # no answer stored, or a version is missing (never made up here)
    entry = found[key]
    if not usable(entry, tuple(str(found[name]) for name in names)):
        return None
    return _enveloped(request, answer(request.META, entry, route.scope), known, user_id)


def _enveloped(
    request: HttpRequest, response: HttpResponseBase, known: _Known, user_id: str | None
) -> HttpResponseBase:
    if user_id is not None:  # the token this answer was kept for: the log names its user
        request.cache_user_id = user_id  # type: ignore[attr-defined]
    for name, value in known.envelope:
        response[name] = value
    if response.status_code == 200:  # as CommonMiddleware, below, does for the framework
        response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
    return response


def _remember(
    request: HttpRequest, response: HttpResponseBase, full_path: str, user_id: str | None
) -> None:
    route: FastRoute | computed_routes.ComputedRoute | None = getattr(
        request, "cache_fast_route", None
    )
    if route is None or response.status_code != 200 or response.cookies:
        return
    if (route.scope == "private") != (user_id is not None):
        return  # a public answer to a signed-in caller: the framework keeps checking the token
    own = _OWN_HEADERS
    if isinstance(route, computed_routes.ComputedRoute):
        own = _COMPUTED_OWN_HEADERS
    envelope = tuple((name, value) for name, value in response.items() if name.lower() not in own)
    if len(_memo) >= MEMO_SIZE:
        # the oldest goes (threads may race here: losing a memo entry costs a miss)
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            _memo.pop(next(iter(_memo)))
    _memo[(full_path, user_id, route.bucket)] = _Known(route, envelope)
