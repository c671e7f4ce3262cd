"""Cached rendered responses for the public reads, under keys that carry data versions.

Why: the public directory, clinic pages and slot listings are read far more than written, and
even one SQL statement per read caps them well below what the framework can serve. A rendered
answer is stored in Django's cache (Redis in production, locmem in development and tests)
under a key made of the request (path, query, host, format) and the *versions* of every kind
of data the answer was computed from. A write bumps the versions it can change, so later
readers compute a new key and never see the old answer; there is nothing to delete.

Versions (`cache_versions`):

- a namespace per kind of data (`Namespace`): the directory (doctor profiles, the users shown
  in it, memberships, clinics), clinic time slots, and every slot listing at once;
- per doctor: `doctor-slots:<id>` (their availability and leave: a day-level input) and
  `doctor-day:<id>:<date>` (bookings, cancellations and status changes on that date).

A version is a random token, not a counter: if the cache evicts a version key, the next reader
starts a new token instead of reusing an old number whose answers may still be stored.

Writers call `bump(...)` or `bump_doctor_slots(doctor_id, date)`. The bump happens at once
(inside the writer's transaction) and again on commit: a reader reads the versions *before*
computing and stores under what it read, so an answer computed from the old rows is stored
only under versions that are already dead by the time the new rows are visible. Model
signals in each app's `cache_receivers.py` call these for every ORM save and delete; writers
that bypass signals (`QuerySet.update`, `bulk_create`) call them explicitly.

The views use `cached_get`: 200 answers only (never errors, never a response setting a
cookie), a strong `ETag` (hash of the body), `Cache-Control: public, max-age=...`, and
`If-None-Match` answered with 304 and no body, cached or not. Also `cached_value` for values
(e.g. a list's total) under the same versions.
"""

import functools
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request

_VERSION = "qc:v:"
_RESPONSE = "qc:r:"
_VALUE = "qc:x:"
# Headers of a view's answer worth keeping (DRF adds Allow and Vary again on every answer).
_KEPT_HEADERS = ("Content-Type", "X-Total-Count", "Link")


class Namespace(StrEnum):
    """Kinds of data a public answer is computed from, each with one version."""

    # Doctor profiles, the users shown as doctors, clinic memberships, clinics.
    DIRECTORY = "directory"
    # Clinic weekly windows (clinic time slots): the clinic's slot list and slot fallbacks.
    CLINIC_SLOTS = "clinic-slots"
    # Every slot listing (a bulk write whose doctors are not known one by one).
    SLOTS = "slots"


def doctor_slots_key(doctor_id: int) -> str:
    """The version of everything day-level about one doctor's slots (availability, leave)."""
    return f"doctor-slots:{doctor_id}"


def doctor_day_key(doctor_id: int, date: Any) -> str:
    """The version of one doctor's taken times on one date (`date`: a date or ISO text)."""
    day = date if isinstance(date, str) else date.isoformat()
    return f"doctor-day:{doctor_id}:{day}"


def slot_version_keys(doctor_id: int, date: Any) -> list[str]:
    """Every version a slot listing of the doctor on the date depends on."""
    return [
        Namespace.DIRECTORY,
        Namespace.CLINIC_SLOTS,
        Namespace.SLOTS,
        doctor_slots_key(doctor_id),
        doctor_day_key(doctor_id, date),
    ]


# --- versions ----------------------------------------------------------------------------------


def cache_versions(keys: Sequence[str]) -> tuple[str, ...]:
    """The current version token of each key, in order (one cache round trip when all exist).

    A missing key gets a fresh random token (`add`, so two first readers agree)."""
    names = [_VERSION + key for key in keys]
    found = cache.get_many(names)
    versions = []
    for name in names:
        token = found.get(name)
        if token is None:
            cache.add(name, secrets.token_hex(8), timeout=None)
            token = cache.get(name) or secrets.token_hex(8)
        versions.append(str(token))
    return tuple(versions)


def _bump_now(keys: Sequence[str]) -> None:
    cache.set_many({_VERSION + key: secrets.token_hex(8) for key in keys}, timeout=None)


def bump(*keys: str) -> None:
    """New versions for `keys` (namespaces or per-doctor keys): now and after commit."""
    if not keys:
        return
    _bump_now(keys)
    transaction.on_commit(functools.partial(_bump_now, list(keys)))


def bump_doctor_slots(doctor_id: int, date: Any = None) -> None:
    """A doctor's slot listings changed: on `date` only (a booking, a cancellation, a status
    change, a held slot), or on every date when `date` is None (availability, leave)."""
    bump(doctor_slots_key(doctor_id) if date is None else doctor_day_key(doctor_id, date))


def bump_directory() -> None:
    """The directory changed (a doctor profile, a doctor's name or account, a membership,
    a clinic): every doctor list and detail, clinic list and detail, and slot listing."""
    bump(Namespace.DIRECTORY)


def bump_clinic_slots() -> None:
    """A clinic's weekly windows changed: clinic slot lists and slot listings."""
    bump(Namespace.CLINIC_SLOTS)


# --- values ------------------------------------------------------------------------------------


def digest(parts: Iterable[Any]) -> str:
    """A short stable hash of `parts` (their repr), for cache keys."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()


def cached_value[T](
    name: str, parts: Sequence[Any], keys: Sequence[str], compute: Callable[[], T]
) -> T:
    """`compute()` cached under `name`, `parts` and the current versions of `keys`.

    The versions are read before computing (see the module docstring for why)."""
    key = _VALUE + name + ":" + digest([*parts, *cache_versions(keys)])
    stored = cache.get(key)
    if stored is not None:
        return stored[0]
    value = compute()
    cache.set(key, (value,), timeout=settings.RESPONSE_CACHE_TTL_SECONDS)
    return value


# --- responses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    max_age: int
    expires_at: float | None = None  # wall-clock end of validity (slots of today), if any


@dataclass
class Freshness:
    """Set by a view on `request.cache_freshness` when its answer expires at a known moment
    (epoch seconds), e.g. today's slots when the next candidate time passes."""

    expires_at: float | None = None


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _answer(request: Request, entry: Entry) -> HttpResponseBase:
    response: HttpResponseBase
    if _not_modified(request, entry.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.content)
        for name, value in entry.headers:
            response[name] = value
    response["ETag"] = entry.etag
    max_age = entry.max_age
    if entry.expires_at is not None:
        max_age = max(0, min(max_age, int(entry.expires_at - time.time())))
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _request_key(request: Request, view_name: str, versions: Sequence[str]) -> str:
    parts = (
        view_name,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.accepted_media_type,
        versions,
    )
    return _RESPONSE + digest(parts)


def _cacheable(request: Request, anonymous_only: bool) -> bool:
    if getattr(request, "accepted_renderer", None) is None:
        return False
    if request.accepted_renderer.format != "json":  # the browsable API (DEBUG) is not stored
        return False
    return not (anonymous_only and request.user.is_authenticated)


VersionKeys = Callable[[Request, dict[str, Any]], Sequence[str]]


def cached_get(versions: VersionKeys, *, anonymous_only: bool = False) -> Callable[..., Any]:
    """Decorates a DRF view's `get`: a stored answer when the versions of `versions(request,
    kwargs)` are unchanged, else the view's answer, rendered and stored (200s only).

    `anonymous_only`: the body differs for some signed-in callers (an owner sees an inactive
    clinic), so only anonymous callers share stored answers; others are answered as before.
    A view whose answer expires at a moment it only learns while computing (today's slots)
    sets `request.cache_freshness.expires_at`."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        view_name = f"{method.__module__}.{method.__qualname__}"

        @functools.wraps(method)
        def get(view: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            response = _get(view, request, *args, **kwargs)
            if anonymous_only:  # shared caches must not give the anonymous answer to an owner
                patch_vary_headers(response, ("Authorization",))
            return response

        def _get(view: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
            if not settings.RESPONSE_CACHE_ENABLED or not _cacheable(request, anonymous_only):
                return method(view, request, *args, **kwargs)
            key = _request_key(request, view_name, cache_versions(versions(request, kwargs)))
            entry = cache.get(key)
            if isinstance(entry, Entry) and (
                entry.expires_at is None or time.time() < entry.expires_at
            ):
                return _answer(request, entry)
            request.cache_freshness = Freshness()  # type: ignore[attr-defined]
            response = method(view, request, *args, **kwargs)
            response = view.finalize_response(request, response, *args, **kwargs)
            response.render()
            if response.status_code != 200 or response.cookies:
                return response
            entry = _entry(response, request.cache_freshness.expires_at)  # type: ignore[attr-defined]
            timeout = settings.RESPONSE_CACHE_TTL_SECONDS
            if entry.expires_at is not None:
                timeout = min(timeout, int(entry.expires_at - time.time()) + 1)
            if timeout > 0:
                cache.set(key, entry, timeout=timeout)
            return _answer(request, entry)

        return get

    return decorate


def _entry(response: HttpResponse, expires_at: float | None) -> Entry:
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
    return Entry(
        content=response.content,
        headers=headers,
        etag=_etag(response.content),
        max_age=settings.PUBLIC_CACHE_MAX_AGE_SECONDS,
        expires_at=expires_at,
    )
