"""The booking's first statement: the doctor's row lock, joined with the doctor's account, their
active clinic and the patient profile booked for.

Why hand-written: the booking read these with four statements (the profile, the lock with the
account, the active membership with its clinic), each composed and compiled by the ORM; that
compilation, not the database, was most of a booking's CPU (issue 16, target 4: 41 ms of
gunicorn worker CPU per booking, `python -m bench.profile --booking`). Joined, the lock takes
one round trip and no compilation. The rules are the ORM's: the active membership is
`clinic.selectors.DOCTOR_ACTIVE_MEMBERSHIP_SQL` (its SQL twin, tested against the ORM reading),
the profile is one of the account's (`users.acting.profile_of_account`) or its own (the `self`
relation, `users.acting.self_profile`). Only the doctor's row is locked (`FOR UPDATE OF d`;
SQLite has no row locks and serialises writers instead); membership changes lock the doctor's
account, not this row, so reading the membership in the same statement sees what a separate
read after the lock would have. On PostgreSQL the statement also takes the profile's audit
chain lock (`audit.services.chain_lock_expression`) over the locked row, so after it (the lock
order of every writer: doctor row, then chain); the booking's next statement reads the chain's
head, and the audit append spends no statement on either (`audit.services.LockedChain`).

The rows become model instances through the fields' own database converters (`core.db_rows`),
so PostgreSQL and SQLite give the same Python values the ORM would; the doctor's account and
the profile carry only the columns read (any other is loaded on access, as a deferred field).
"""

import functools
import string
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from appointments.models import Appointment
from audit.services import chain_lock_expression
from clinic.models import Clinic, ClinicMember
from clinic.selectors import DOCTOR_ACTIVE_MEMBERSHIP_PARAMS, DOCTOR_ACTIVE_MEMBERSHIP_SQL
from core.db_rows import all_fields, instance_from_row, model_field
from doctors.models import DoctorProfile
from users.models import PatientProfile, Relation, User

_ACCOUNT_FIELDS = ("id", "name", "is_active")
_PROFILE_ID_ALIAS = "p_id"
_PROFILE_FIELDS = (
    "id",
    "account_id",
    "relation",
    "name",
    "gender",
    "date_of_birth",
    "stated_age",
    "patient_enabled",
)


@functools.cache
def _columns() -> list[tuple[type[Model], str, tuple[str, ...]]]:
    """(model, alias, attnames) of each model the statement reads, in column order."""
    return [
        (DoctorProfile, "d", all_fields(DoctorProfile)),
        (User, "du", _ACCOUNT_FIELDS),
        (Clinic, "c", all_fields(Clinic)),
        (PatientProfile, "p", _PROFILE_FIELDS),
    ]


# Table and column names come from model metadata; every value is a bound parameter.
_SQL = string.Template(
    "SELECT $select FROM $doctor d JOIN $user du ON du.id = d.user_id"
    " LEFT JOIN ($member m JOIN $clinic c ON c.id = m.clinic_id JOIN $user u ON u.id = m.user_id)"
    " ON m.user_id = d.user_id AND $membership"
    " LEFT JOIN $profile p ON $profile_filter"
    " WHERE d.id = %s ORDER BY m.joined_at, m.created_at, m.id LIMIT 1$lock"
)


# PostgreSQL: the locked row's statement also takes the audit chain's lock of the profile
# (`audit.services.chain_lock_expression`), evaluated over the CTE's rows, so after the row
# lock: the lock order stays doctor row -> chain, as in every other writer. It reserves the new
# appointment's id too (`nextval` of the id column's sequence, named by
# `pg_get_serial_sequence` from bound table and column names): the outbox's rows and the audit
# event hold it, so with it known first all of them go in one statement with the appointment
# (`appointments.booking_insert`, `core.insert_batch`). A booking refused after this leaves a
# gap in the ids, as a refused INSERT does.
_WITH_CHAIN_LOCK = string.Template(
    "WITH locked AS MATERIALIZED ($inner) SELECT locked.*, $chain_lock,"
    " nextval(pg_get_serial_sequence(%s, %s)) FROM locked"
)


@functools.cache
def _sql(*, own_profile: bool, lock: bool) -> str:
    inner = _inner_sql(own_profile=own_profile, lock=lock)
    chain_lock = chain_lock_expression(f"locked.{_PROFILE_ID_ALIAS}")
    if chain_lock is None:
        return inner
    return _WITH_CHAIN_LOCK.substitute(inner=inner, chain_lock=chain_lock)


def _inner_sql(*, own_profile: bool, lock: bool) -> str:
    def column(model: type[Model], alias: str, attname: str) -> str:
        name = f"{alias}.{connection.ops.quote_name(str(model_field(model, attname).column))}"
        return f"{name} AS {alias}_{attname}"  # unique names: the CTE's columns

    select = ", ".join(
        column(model, alias, attname)
        for model, alias, attnames in _columns()
        for attname in attnames
    )
    profile = "p.account_id = %s AND p.relation = %s" if own_profile else "p.account_id = %s"
    if not own_profile:
        profile += " AND p.id = %s"
    return _SQL.substitute(
        select=select,
        doctor=DoctorProfile._meta.db_table,
        user=User._meta.db_table,
        member=ClinicMember._meta.db_table,
        clinic=Clinic._meta.db_table,
        profile=PatientProfile._meta.db_table,
        membership=DOCTOR_ACTIVE_MEMBERSHIP_SQL,
        profile_filter=profile,
        lock=" FOR UPDATE OF d" if lock else "",
    )


@dataclass(frozen=True)
class BookingLock:
    """The locked doctor (None: no such doctor) with their account, their active clinic (None:
    none) and the profile booked for (None: not one of the account's); on PostgreSQL, the id
    reserved for the new appointment (None elsewhere)."""

    doctor: DoctorProfile | None
    clinic: Clinic | None
    profile: PatientProfile | None
    appointment_id: int | None = None


def lock_doctor_for_booking(
    *, doctor_id: int, account: User, profile_id: uuid.UUID | None
) -> BookingLock:
    """Lock the doctor's row (inside the caller's transaction) and read the rest with it."""
    account_id = User._meta.pk.get_db_prep_value(account.pk, connection)
    params: list[Any] = [*DOCTOR_ACTIVE_MEMBERSHIP_PARAMS, account_id]
    if profile_id is None:
        params.append(Relation.SELF.value)
    else:
        params.append(PatientProfile._meta.pk.get_db_prep_value(profile_id, connection))
    params.append(doctor_id)
    sql = _sql(own_profile=profile_id is None, lock=connection.features.has_select_for_update_of)
    reserves = connection.vendor == "postgresql"  # the id: the last column (_WITH_CHAIN_LOCK)
    if reserves:
        meta = Appointment._meta
        assert meta.pk is not None
        params += [connection.ops.quote_name(meta.db_table), meta.pk.column]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return BookingLock(None, None, None)
    parts: list[Any] = []
    start = 0
    for model, alias, attnames in _columns():
        values = row[start : start + len(attnames)]
        start += len(attnames)
        parts.append(
            None if values[0] is None else instance_from_row(model, alias, attnames, values)
        )
    doctor, account_row, clinic, profile = parts
    doctor._state.fields_cache["user"] = account_row
    return BookingLock(doctor, clinic, profile, int(row[-1]) if reserves else None)
