"""The public doctor list's pages: keyset where the previous page's end is known, and a total
counted once per filter set and directory version instead of on every page.

Why: a page that computes its total (`COUNT(*) OVER ()`) or skips rows (`OFFSET`) reads every
matching doctor, so its cost grows with the directory. Here a page reads only its own rows:

- the rows: `public_queries.doctor_public_page`, walking the name index; page N starts after
  the last (name, id) of page N-1 when that page was served under the same directory version
  (clients page forward: the mobile client's infinite scroll), else with OFFSET;
- the total: known from the page itself when it is the last one (fewer rows than asked),
  else `doctor_public_count`, cached under the filters and the directory version
  (core.response_cache), so every write that changes the directory changes the key.

The `X-Total-Count` and `Link` headers therefore stay exact: both come from the same version.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache

from core.response_cache import Namespace, cache_versions, cached_value, digest
from doctors import public_queries
from doctors.rows import DoctorRow

_VERSIONS = [Namespace.DIRECTORY]


def _filter_parts(filters: dict[str, Any]) -> list[Any]:
    return sorted((name, repr(value)) for name, value in filters.items())


def _boundary_key(filters: dict[str, Any], limit: int, offset: int) -> str:
    """Where the page of `limit` rows starting at `offset` begins (the previous one's end)."""
    parts = [*_filter_parts(filters), limit, offset, *cache_versions(_VERSIONS)]
    return "qc:directory-boundary:" + digest(parts)


def directory_page(
    *, filters: dict[str, Any], limit: int, offset: int
) -> tuple[list[DoctorRow], int | None]:
    """A page of the public list and the total (None when the page is empty)."""
    after = cache.get(_boundary_key(filters, limit, offset)) if offset else None
    rows = public_queries.doctor_public_page(
        filters=filters, limit=limit, offset=offset, after=after
    )
    if len(rows) == limit:
        last = rows[-1]
        cache.set(
            _boundary_key(filters, limit, offset + limit),
            (last["user_name"], last["id"]),
            timeout=settings.RESPONSE_CACHE_TTL_SECONDS,
        )
    if not rows:
        return rows, (0 if offset == 0 else None)
    if len(rows) < limit:  # the last page: the total is known without counting
        return rows, offset + len(rows)
    total = cached_value(
        "doctor-total",
        _filter_parts(filters),
        _VERSIONS,
        lambda: public_queries.doctor_public_count(filters=filters),
    )
    return rows, total
