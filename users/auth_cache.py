"""The authenticated user, cached for the access token's life, with exact invalidation.

Every authenticated request used to read the user row and the session's revocation in one
statement (`users.authentication`): about a fifth of the time of `GET /api/appointments/my/`
(profile: `python -m bench.profile`). A successful lookup is now kept in the cache under

    auth:u:<user id>:<sid>     until the token's `exp` (at most AUTH_USER_CACHE_SECONDS)

together with the `version` it was read under, a random value under `auth:v:<user id>`; it is
used only while that version is current (both are read in one round trip). Anything that can
change what a request may do moves the user to a new random version, at once and again *after its
transaction commits*:
every save or delete of the user row (deactivation, password change, role or onboarding
change, profile edits: `post_save`/`post_delete`), a logout or session revoke
(`users.services.sessions`), and the few `QuerySet.update()`s on users, which call
`forget_user()` themselves. Entries of an old version are never used again, so:

- a request that read the row before the commit can only store it under the old version;
- a lost version key (eviction, restart) gets a fresh random one, never an old value;
- only successes are cached: a revoked, inactive or missing user is read from the database
  every time, and the password-hash claim is still compared on every request.

The cache must be shared by all processes of a deployment (Redis: CACHE_URL), as the login
lock-out counters and throttles already require; with the per-process locmem cache of
development an invalidation reaches only its own process. AUTH_USER_CACHE_SECONDS=0 turns
the cache off.
"""

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.cache_ops import add_and_get
from core.response_cache import user_version_key

ENTRY_KEY = "auth:u:{user_id}:{sid}"


def enabled() -> bool:
    return settings.AUTH_USER_CACHE_SECONDS > 0


def _new_version(key: str) -> str:
    return str(add_and_get(key, uuid.uuid4().hex) or uuid.uuid4().hex)


def lookup(user_id: Any, sid: str) -> tuple[str, Any]:
    """The user's current authentication version (made if missing) and the user stored for
    this session *under that version*, or None: one round trip. Private cached answers
    (core.cached_responses) carry the version their request was authenticated under."""
    version_key = user_version_key(user_id)
    entry_key = ENTRY_KEY.format(user_id=user_id, sid=sid)
    found = cache.get_many([version_key, entry_key])
    version = found.get(version_key)
    if version is None:
        return _new_version(version_key), None
    stored = found.get(entry_key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == str(version):
        return str(version), stored[1]
    return str(version), None


def put(user_id: Any, sid: str, version: str, user: Any, *, expires_at: Any) -> None:
    """Keep `user` for this session under `version` (read before the user was) until the
    token expires (epoch seconds), at most the setting."""
    try:
        remaining = int(expires_at) - int(time.time())
    except (TypeError, ValueError):
        return
    timeout = min(remaining, settings.AUTH_USER_CACHE_SECONDS)
    if timeout > 0:
        cache.set(ENTRY_KEY.format(user_id=user_id, sid=sid), (version, user), timeout=timeout)


def forget_user(user_id: Any) -> None:
    """Every cached lookup of this user stops being read: at once, and again once the
    current transaction commits (a request that read the old row in between stored it under
    the version the commit leaves behind). Outside a transaction both happen now."""
    if user_id is None:
        return
    key = user_version_key(user_id)

    def bump() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def _forget_saved_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_user(instance.pk)


def connect() -> None:
    """Hook the user model's save and delete (called from UsersConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    from users.models import User

    post_save.connect(_forget_saved_user, sender=User, dispatch_uid="auth_cache_user_saved")
    post_delete.connect(_forget_saved_user, sender=User, dispatch_uid="auth_cache_user_deleted")
