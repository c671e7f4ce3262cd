"""Data versions: what lets a cached answer or value be used only while nothing it was
computed from has changed.

Why: the public directory, clinic pages, slot listings and the patients' and doctors' lists
are read far more than written, and even one SQL statement per read caps them well below
what the framework can serve. A rendered answer (`core.cached_responses`) or a value
(`cached_value`) is stored in Django's cache (Redis in production, locmem in development and
tests) together with the *versions* of every kind of data it was computed from, and used only
while those versions are still current. A write bumps the versions it can change, so later
readers see a mismatch and compute again; there is nothing to delete.

Versions (`cache_versions`):

- a namespace per kind of data (`Namespace`): the directory (doctor profiles, the users shown
  in it, memberships, clinics), clinic time slots, every slot listing at once, the people
  shown in others' lists, and every private record at once (bulk writes);
- per doctor: `doctor-slots:<id>` (their availability and leave: a day-level input),
  `doctor-day:<id>:<date>` (any appointment write on that date) and `doctor-records:<id>`;
- per account and profile: `account:<id>` (its appointments, profiles, documents, consents),
  `access-log:<profile id>`, and the authentication version `auth:v:<id>` (users.auth_cache).

A version is a random token, not a counter: if the cache evicts a version key, the next reader
starts a new token instead of reusing an old number whose answers may still be stored.

Writers call `bump(...)` or `bump_doctor_slots(doctor_id, date)`. The bump happens at once
(inside the writer's transaction) and again on commit (once only for a write outside any
transaction, which is visible at once): a reader reads the versions *before*
computing and stores what it computed with what it read, so an answer computed from the old
rows carries versions that are already dead by the time the new rows are visible. Model
signals in each app's `cache_receivers.py` call these for every ORM save and delete; writers
that bypass signals (`QuerySet.update`, `bulk_create`) call them explicitly, or go through
`core.records`' manager.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from core.cache_ops import add_and_get, set_forever

VERSION_PREFIX = "qc:v:"
_VALUE = "qc:x:"
# Headers of a view's answer worth keeping (DRF adds Allow and Vary again on every answer).
_KEPT_HEADERS = ("Content-Type", "X-Total-Count", "Link")


class Namespace(StrEnum):
    """Kinds of data an answer is computed from, each with one version."""

    # Doctor profiles, the users shown as doctors, clinic memberships, clinics.
    DIRECTORY = "directory"
    # Clinic weekly windows (clinic time slots): the clinic's slot list and slot fallbacks.
    CLINIC_SLOTS = "clinic-slots"
    # Every slot listing (a bulk write whose doctors are not known one by one).
    SLOTS = "slots"
    # The people shown in other accounts' lists: patient profiles and their holders' contacts
    # (a doctor's day shows its patients).
    PEOPLE = "people"
    # Every private list at once: a write that bypasses model signals (`QuerySet.update`,
    # `bulk_create`, `bulk_update` on a `VersionedQuerySet` model) or a migration.
    RECORDS = "records"


def account_key(user_id: Any) -> str:
    """The version of one account's own records (its appointments, profiles, documents...)."""
    return f"account:{user_id}"


def doctor_records_key(doctor_id: Any) -> str:
    """The version of one doctor's appointments on every date (the doctor's own lists)."""
    return f"doctor-records:{doctor_id}"


def access_log_key(profile_id: Any) -> str:
    """The version of one patient profile's access log (its chain's access events)."""
    return f"access-log:{profile_id}"


def user_version_key(user_id: Any) -> str:
    """The cache key of a user's *authentication* version (users.auth_cache bumps it on every
    change of the user row, logout and session revoke); private answers carry it too."""
    return f"auth:v:{user_id}"


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
    return versions_and_value(keys, None)[0]


def versions_and_value(keys: Sequence[str], other: str | None) -> tuple[tuple[str, ...], Any]:
    """`cache_versions(keys)` and the cache value under `other` (None if absent), read in one
    round trip when every version exists."""
    names = [VERSION_PREFIX + key for key in keys]
    found = cache.get_many([*names, other] if other else names)
    versions = []
    for name in names:
        token = found.get(name)
        if token is None:
            token = add_and_get(name, secrets.token_hex(8)) or secrets.token_hex(8)
        versions.append(str(token))
    return tuple(versions), found.get(other) if other else None


def _bump_now(keys: Sequence[str]) -> None:
    set_forever({VERSION_PREFIX + key: secrets.token_hex(8) for key in keys})


def bump(*keys: str) -> None:
    """New versions for `keys` (namespaces or per-doctor keys): now and, inside a transaction,
    after commit. Outside one the write is already visible: the second write would be a cache
    round trip for nothing (`on_commit` runs at once there)."""
    if not keys:
        return
    _bump_now(keys)
    if connection.in_atomic_block:
        transaction.on_commit(functools.partial(_bump_now, list(keys)))


def bump_on_commit(*keys: str) -> None:
    """New versions for `keys` after commit only: for a write in a transaction of its own,
    in which nothing reads a cached answer after the write (before the commit, other
    connections still read the old rows, which the old versions describe)."""
    if keys:
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


def value_key(name: str, parts: Sequence[Any]) -> str:
    """The cache key of `cached_value(name, parts, ...)` (the fast path reads it too)."""
    return _VALUE + name + ":" + digest(parts)


def current_value(stored: Any, versions: tuple[str, ...]) -> tuple[bool, Any]:
    """Whether a stored `cached_value` entry was computed under exactly `versions`, and its
    value."""
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == versions:
        return True, stored[1]
    return False, None


def cached_value[T](
    name: str, parts: Sequence[Any], keys: Sequence[str], compute: Callable[[], T]
) -> T:
    """`compute()` cached under `name` and `parts`, used while `keys` keep the versions it
    was computed under (stored with it, read with it in one round trip).

    The versions are read before computing (see the module docstring for why)."""
    key = value_key(name, parts)
    versions, stored = versions_and_value(keys, key)
    current, value = current_value(stored, versions)
    if current:
        return value
    value = compute()
    cache.set(key, (versions, value), timeout=settings.RESPONSE_CACHE_TTL_SECONDS)
    return value
