"""Hand-written SQL for the hottest public reads: the doctor directory and its detail.

A page is one statement whose cost does not grow with the directory: it walks the partial
index `users.user_doctor_name_idx` in page order and stops after LIMIT rows (or starts after
a known boundary: keyset). The total is a separate COUNT that `doctors.directory` caches per
filter set and directory version, so it is not recomputed for every page.

Why not the ORM: composing this join with the ORM (a filtered relation, a window count and a
dozen columns) costs several times running it, and these are the busiest endpoints. Measured
in-process on 400 doctors, a page of 20 with a specialty filter, Python time per page outside
the database: PostgreSQL 0.23 ms here against 2.2-2.6 ms for the same query built with
`selectors.doctor_rows` + `Window(Count("*"))`; SQLite 0.83 ms against 6.0-6.7 ms. Over a whole
request (routing, rendering) the ORM path costs 2-3x the Python time (issue 10's measure).

The SQL is portable (SQLite, PostgreSQL); table names come from model metadata and every value
is a bound parameter. Columns are read by name (`rows.row_reader`) into `rows.DoctorRow`, the
shape `selectors.doctor_rows` produces too, so `serializers.DoctorOutputSerializer` renders
both; the tests run on both databases.
"""

import functools
import string
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.backends.utils import CursorWrapper

from clinic.models import Clinic, ClinicMember
from clinic.selectors import DOCTOR_ACTIVE_MEMBERSHIP_PARAMS, DOCTOR_ACTIVE_MEMBERSHIP_SQL
from core.roles import RoleId
from doctors.models import DoctorProfile
from doctors.rows import DoctorRow, row_reader
from users.models import User

# `user_contact` is NULL: public views never publish a doctor's personal mobile (the clinic's
# phone is the public number), so it is not even read here.
_SELECT = string.Template(
    # Every column named with AS: rows are read by these names (`rows.row_reader`), and
    # SQLite leaves the name of an un-aliased column unspecified.
    "SELECT p.id AS id, p.specialty AS specialty, p.qualification AS qualification,"
    " p.registration_number AS registration_number, p.experience_years AS experience_years,"
    " p.biography AS biography, p.languages AS languages,"
    " p.first_visit_fee AS first_visit_fee, p.follow_up_fee AS follow_up_fee,"
    " p.offers_video_consultation AS offers_video_consultation, p.user_id AS user_id,"
    " u.name AS user_name, NULL AS user_contact, m.clinic_id AS clinic_id,"
    " c.name AS clinic_name, c.city AS clinic_city, c.is_active AS clinic_is_active,"
    " m.department AS department"
    " FROM $profile p"
    " JOIN $user u ON u.id = p.user_id"
    # The doctor's active membership (clinic.selectors), at most one per user: one row each.
    " JOIN $member m ON m.user_id = u.id"
    " JOIN $clinic c ON c.id = m.clinic_id"
    " WHERE $doctor_active_membership"
    # Implied by the membership (only doctor accounts join as doctors), and written out, as a
    # literal, so the planner can walk the partial index `user_doctor_name_idx` in page order.
    " AND u.role_id = $doctor_role"
)
# The total of a filtered list: the same joins and conditions, no order, no columns.
_COUNT = string.Template(
    "SELECT COUNT(*) FROM $profile p"
    " JOIN $user u ON u.id = p.user_id"
    " JOIN $member m ON m.user_id = u.id"
    " JOIN $clinic c ON c.id = m.clinic_id"
    " WHERE $doctor_active_membership AND u.role_id = $doctor_role"
)
_MEMBERSHIP_PARAMS = DOCTOR_ACTIVE_MEMBERSHIP_PARAMS


def _tables() -> dict[str, Any]:
    return {
        "profile": DoctorProfile._meta.db_table,
        "user": User._meta.db_table,
        "member": ClinicMember._meta.db_table,
        "clinic": Clinic._meta.db_table,
        "doctor_active_membership": DOCTOR_ACTIVE_MEMBERSHIP_SQL,
        "doctor_role": int(RoleId.DOCTOR),
    }


@functools.cache
def _select_sql() -> str:
    return _SELECT.substitute(_tables())


@functools.cache
def _count_sql() -> str:
    return _COUNT.substitute(_tables())


_CONTAINS = "UPPER({}) LIKE UPPER(%s) ESCAPE '\\'"


def _like(term: str) -> str:
    return f"%{connection.ops.prep_for_like_query(term)}%"


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(Decimal("0.01"))


# How to read a row of each SELECT text (`_select_sql()`, the same for every filter): psycopg
# builds a Column object per column on every `cursor.description` access (19 here), measured at
# 0.14 ms of a ~1 ms detail request, so the description is read once per SELECT.
_Reader = Callable[[Sequence[Any]], dict[str, Any]]
_READERS: dict[str, _Reader] = {}


def _reader(cursor: CursorWrapper) -> _Reader:
    """The row reader of the executed SELECT."""
    select = _select_sql()
    if select not in _READERS:
        _READERS[select] = row_reader(cursor.description)
    return _READERS[select]


def _rows(cursor: CursorWrapper) -> list[DoctorRow]:
    """The fetched rows as DoctorRows, by column name."""
    read = _reader(cursor)
    return [_row(read(values)) for values in cursor.fetchall()]


def _row(row: dict[str, Any]) -> DoctorRow:
    # The drivers differ: SQLite returns UUIDs as text, decimals as numbers, booleans as 0/1.
    row["user_id"] = _uuid(row["user_id"])
    row["clinic_id"] = _uuid(row["clinic_id"])
    row["first_visit_fee"] = _decimal(row["first_visit_fee"])
    row["follow_up_fee"] = _decimal(row["follow_up_fee"])
    row["offers_video_consultation"] = bool(row["offers_video_consultation"])
    row["clinic_is_active"] = bool(row["clinic_is_active"])
    return cast(DoctorRow, row)


def _where(filters: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """SQL conditions for the cleaned filters of `filters.doctor_list_params`."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.get("clinic") is not None:
        clauses.append("m.clinic_id = %s")
        params.append(Clinic._meta.pk.get_db_prep_value(filters["clinic"], connection))
    if filters.get("specialty", "").strip():
        clauses.append("UPPER(p.specialty) = UPPER(%s)")
        params.append(filters["specialty"].strip())
    if filters.get("min_fee") is not None:
        clauses.append("p.first_visit_fee >= %s")
        params.append(filters["min_fee"])
    if filters.get("max_fee") is not None:
        clauses.append("p.first_visit_fee <= %s")
        params.append(filters["max_fee"])
    if filters.get("video") is not None:
        clauses.append("p.offers_video_consultation = %s")
        params.append(bool(filters["video"]))
    for term in filters.get("search_terms", ()):
        clauses.append(f"({_CONTAINS.format('u.name')} OR {_CONTAINS.format('p.specialty')})")
        params += [_like(term), _like(term)]
    return clauses, params


Boundary = tuple[str, int]
"""The (name, id) of the last doctor of a page: the next page starts after it (keyset)."""


def doctor_public_page(
    *, filters: dict[str, Any], limit: int, offset: int = 0, after: Boundary | None = None
) -> list[DoctorRow]:
    """A page of visible doctors by name then id: `offset` rows skipped, or, with `after`,
    the rows after that boundary (a keyset page: no rows are read to be skipped)."""
    clauses, params = _where(filters)
    if after is not None:
        # `u.name >= %s` alone is what an index range can use; the rest breaks name ties.
        clauses.append("u.name >= %s AND (u.name > %s OR p.id > %s)")
        params += [after[0], after[0], after[1]]
        offset = 0
    sql = _select_sql() + "".join(f" AND {clause}" for clause in clauses)
    sql += " ORDER BY u.name, p.id LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_MEMBERSHIP_PARAMS, *params, limit, offset])
        return _rows(cursor)


def doctor_public_count(*, filters: dict[str, Any]) -> int:
    """How many visible doctors match the filters."""
    clauses, params = _where(filters)
    sql = _count_sql() + "".join(f" AND {clause}" for clause in clauses)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_MEMBERSHIP_PARAMS, *params])
        (total,) = cursor.fetchone()
    return int(total)


def doctor_public_detail(*, doctor_id: int) -> DoctorRow | None:
    sql = _select_sql() + " AND p.id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_MEMBERSHIP_PARAMS, doctor_id])
        rows = _rows(cursor)
    return rows[0] if rows else None
