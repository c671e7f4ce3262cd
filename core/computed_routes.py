"""Private reads the fast path computes itself from cached inputs: answers that depend on the
clock, so that no answer can be stored whole (the desk's queue: its ETAs and lateness).

Why by hand: the desk's `GET /api/appointments/queue/?doctor=&date=` read its inputs from one
cached value, yet went through JWT authentication (a second cache round trip), DRF, the
permissions, the query serializer and the view: 1.65 ms of CPU per read in-process
(`python -m bench.profile --queue`, 1,000 reads), 0.39x the limit app in `make bench`, where
the stored private lists answered by `core.cache_fast_path` run at 0.95x. Computed here, the
same read costs 0.80-0.88 ms of CPU in-process (1.52-1.65 ms through the view, measured in
the same minutes) and runs at 0.71-0.83x the limit app (0.26-0.39x before) in `--only lists`.

How it stays exact. The view offers a `ComputedRoute` (`offer`) only for a caller the full
path has just authenticated under a recorded authentication version, with the key of the
inputs' cached value (`core.response_cache.cached_value`, whose key already names that version)
and every version key the value is kept under. It also records the token itself
(`qc:t:<digest>`: its user, the authentication version it was accepted under, its expiry) for
the token's remaining life. The fast path, on an equal request (same full path, same token's
user, same bucket, same `Accept`), reads in one round trip the value, its versions, the
user's current authentication version and that token record, and computes the answer only when

- every key exists (nothing is made up here), and the value was computed under exactly the
  versions read now (any write to the day, the people shown, the directory's memberships);
- the current authentication version is the one the route and the token were accepted under
  (a logout, a session revoke, a deactivation, a password or role change bump it), the token
  record names this user, and the token has not expired (`exp`, as simplejwt checks it);

else the framework answers, as it always did. The registered computer (`register`, filled by
the app that owns the read, e.g. in its AppConfig.ready: core imports no app) turns the value
and the request's parsed arguments into the view's body, rendered by the API's own JSON
renderer under the API's UTC, so the bytes are the view's.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request

from core.api_timezone import api_zone
from core.cached_responses import request_caller, time_bucket, token_end_of
from core.renderers import FastJSONRenderer, fast_json
from core.response_cache import VERSION_PREFIX, current_value, user_version_key
from core.tokens_peek import token_digest

_TOKEN = "qc:t:"

# JSON-ready body from (the cached value, the route's arguments); None: let the view answer.
Computer = Callable[[Any, tuple[Any, ...]], Any]
_computers: dict[str, Computer] = {}


def register(name: str, computer: Computer) -> None:
    """Name a computer the views' routes can point at (idempotent for the same function)."""
    _computers[name] = computer


@dataclass(frozen=True)
class ComputedRoute:
    """What an answered request needs to be answered again by computing, without the view."""

    computer: str
    value_key: str  # the inputs' cached value (`core.response_cache.value_key`)
    keys: tuple[str, ...]  # the version keys it is kept under
    args: tuple[Any, ...]  # what the computer needs of the request (its parsed query)
    auth_version: str  # the caller's, as the full path authenticated it
    accept: str  # the `Accept` header the view's content negotiation saw
    bucket: int
    scope: str = "private"


def token_key(digest: str) -> str:
    return _TOKEN + digest


def offer(
    request: Request,
    view: Any,
    computer: str,
    value_key: str,
    keys: tuple[str, ...],
    args: tuple[Any, ...],
) -> None:
    """Let the fast path compute the next equal request (call once the view's answer is
    ready; the fast path keeps the route only for a 200 without cookies)."""
    if not settings.RESPONSE_CACHE_ENABLED or computer not in _computers:
        return
    if view.get_throttles():  # a throttled view is never answered before the framework
        return
    renderer = getattr(request, "accepted_renderer", None)
    if not isinstance(renderer, FastJSONRenderer):
        return
    if renderer.get_indent(request.accepted_media_type or "", {}) is not None:
        return
    caller = request_caller(request)
    if caller is None:  # no bearer token of this user, or no authentication version
        return
    expires_at = token_end_of(request)
    remaining = expires_at - time.time()
    if remaining <= 0:
        return
    cache.set(
        token_key(caller.token_digest),
        (caller.user_id, caller.auth_version, expires_at),
        timeout=math.ceil(remaining),
    )
    request._request.cache_fast_route = ComputedRoute(  # type: ignore[attr-defined]
        computer=computer,
        value_key=value_key,
        keys=keys,
        args=args,
        auth_version=caller.auth_version,
        accept=request.META.get("HTTP_ACCEPT", ""),
        bucket=time_bucket("private"),
    )


def compute(
    request: HttpRequest, route: ComputedRoute, token: str, user_id: str
) -> HttpResponse | None:
    """The answer computed from the cached inputs (headers other than the content's are
    the caller's to add), or None when anything is not exactly as the route was offered."""
    if request.META.get("HTTP_ACCEPT", "") != route.accept:
        return None
    computer = _computers.get(route.computer)
    if computer is None:
        return None
    names = [VERSION_PREFIX + key for key in route.keys]
    auth_key, marker_key = user_version_key(user_id), token_key(token_digest(token))
    found = cache.get_many([route.value_key, *names, auth_key, marker_key])
    if len(found) != len(names) + 3:
        return None  # a version, the value or the token record is missing
    if str(found[auth_key]) != route.auth_version:
        return None
    marker = found[marker_key]
    if not isinstance(marker, tuple) or len(marker) != 3:
        return None
    if marker[:2] != (user_id, route.auth_version) or not time.time() < marker[2]:
        return None
    current, value = current_value(found[route.value_key], tuple(str(found[n]) for n in names))
    if not current:
        return None
    with api_zone(request.path_info):
        body = computer(value, route.args)
        content = None if body is None else fast_json(body)
    if content is None:
        return None
    return HttpResponse(content)
