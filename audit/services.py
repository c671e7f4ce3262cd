"""Appending to the chain, and signing the heads: the only writes of this app.

`audit_append` runs inside the caller's transaction (its own when there is none; no savepoint:
a failed append fails the caller's transaction), so an event is stored exactly when the write
it records is. It takes a per-patient lock first:
PostgreSQL's `pg_advisory_xact_lock` on a key derived from the patient id, held to the end of
the outer transaction, so appends of one patient queue up while other patients' run freely;
SQLite serialises writers anyway. The unique (patient, seq) constraint is the backstop: a fork
cannot be stored.
"""

import datetime as dt
import functools
import hashlib
import json
import string
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from audit import signing
from audit.canonical import canonical, link_hash
from audit.models import GENESIS_HASH, AuditCategory, AuditEvent, ChainCheckpoint
from core.insert_batch import Rows, insert, prepared
from core.response_cache import access_log_key, bump, bump_on_commit

BODY_VERSION = 1


@dataclass(frozen=True)
class Event:
    """One fact to record, on the chain of `patient_id` (a patient profile's id)."""

    patient_id: uuid.UUID
    category: str
    action: str
    actor_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None
    detail: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    emergency: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The data as JSON gives it back (UUIDs, dates and decimals as strings): what the JSON
    column returns, so the body recomputed at verification is the one hashed here."""
    return dict(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def body_of(*, row: AuditEvent) -> str:
    """The canonical JSON of a row's facts: what its hash covers."""
    return canonical(
        {
            "v": BODY_VERSION,
            "patient": str(row.patient_id),
            "seq": row.seq,
            "at": _iso(row.occurred_at),
            "category": row.category,
            "action": row.action,
            "actor": str(row.actor_id) if row.actor_id else None,
            "document": str(row.document_id) if row.document_id else None,
            "detail": row.detail,
            "ip": row.ip_address,
            "ua": row.user_agent,
            "emergency": row.emergency,
            "data": row.data,
        }
    )


def lock_key(patient_id: uuid.UUID) -> int:
    """A signed 64-bit advisory-lock key from the patient id."""
    return int.from_bytes(
        hashlib.sha256(b"audit:" + patient_id.bytes).digest()[:8], "big", signed=True
    )


def _lock_chains(patient_ids: Sequence[uuid.UUID]) -> None:
    """One statement takes every chain's lock, in key order (two appends cannot deadlock)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(lock_key(patient_id) for patient_id in patient_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY k) s",
            [keys],
        )


# Hand-written: the ORM composed and compiled this statement on every append (a booking's
# largest audit cost, about 1 ms of CPU; `python -m bench.profile --booking`). Names come from
# model metadata, every value is a bound parameter.
_HEADS_SQL = string.Template(
    "SELECT o.$pk, e.seq, e.hash FROM $owner o JOIN $event e ON e.patient_id = o.$pk"
    " AND e.seq = (SELECT s.seq FROM $event s WHERE s.patient_id = o.$pk ORDER BY s.seq DESC"
    " LIMIT 1) WHERE o.$pk IN ($ids)"
)


def _heads(patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, str]]:
    """(seq, hash) of each chain's last event, in one query; chains not begun are absent.

    The subqueries are correlated to the chains' owners (a handful of patient profile rows,
    `settings.AUDIT_CHAIN_OWNER_MODEL`), not to the events: each is a backward scan of the
    (patient, seq) index with LIMIT 1, so the cost of an append does not grow with the length
    of the chain."""
    owner = apps.get_model(settings.AUDIT_CHAIN_OWNER_MODEL)
    pk = owner._meta.pk
    assert pk is not None
    sql = _HEADS_SQL.substitute(
        pk=connection.ops.quote_name(pk.column),
        owner=connection.ops.quote_name(owner._meta.db_table),
        event=connection.ops.quote_name(AuditEvent._meta.db_table),
        ids=", ".join(["%s"] * len(patient_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(value, connection) for value in patient_ids])
        rows = cursor.fetchall()
    return {uuid.UUID(str(patient_id)): (seq, head) for patient_id, seq, head in rows}


# --- a chain locked and read by the caller's own statements ---------------------------------
# A writer that already runs a statement right after taking its row locks (booking: the
# doctor's row) may take the chain's lock in that statement (`chain_lock_expression`, evaluated
# after its row locks: the lock order stays row -> chain) and read the head in a later one
# (`CHAIN_HEAD_SQL`: a fresh snapshot, after the lock), then hand both to `audit_append`
# (`locked=`), which spends no statement of its own on them. The caller must not append to that
# chain in between (the unique (patient, seq) constraint would refuse the stale head).

# The chain's last (seq, hash), at most one row: bound with the patient id.
CHAIN_HEAD_SQL = string.Template(
    "SELECT seq, hash FROM $event WHERE patient_id = %s ORDER BY seq DESC LIMIT 1"
).substitute(event=AuditEvent._meta.db_table)


def chain_lock_expression(patient_id_sql: str) -> str | None:
    """An SQL expression taking the lock of the chain of `patient_id_sql` (an SQL expression
    of uuid type) to the end of the transaction: `lock_key` computed by PostgreSQL (the first 8
    bytes of the SHA-256 of b"audit:" and the id's 16 bytes, as a signed bigint; a test holds
    the two equal). None where appends need no lock (SQLite serialises writers)."""
    if connection.vendor != "postgresql":
        return None
    digest = f"sha256(convert_to('audit:', 'UTF8') || uuid_send({patient_id_sql}))"
    return f"pg_advisory_xact_lock(('x' || left(encode({digest}, 'hex'), 16))::bit(64)::bigint)"


@dataclass(frozen=True)
class LockedChain:
    """A chain the caller locked (`chain_lock_expression`) and then read (`CHAIN_HEAD_SQL`):
    `head` is its (seq, hash), None for a chain not begun."""

    patient_id: uuid.UUID
    head: tuple[int, str] | None


def audit_append(
    events: Iterable[Event], *, locked: Sequence[LockedChain] = ()
) -> list[AuditEvent]:
    """Append the events, each patient's in order, in one INSERT; returns the stored rows.
    `locked`: chains the caller has locked and read itself (see `LockedChain`)."""
    by_patient: dict[uuid.UUID, list[Event]] = defaultdict(list)
    for event in events:
        by_patient[uuid.UUID(str(event.patient_id))].append(event)
    if not by_patient:
        return []
    now = timezone.now()
    rows: list[AuditEvent] = []
    # No savepoint of its own inside the caller's transaction: a failed append (a fork refused
    # by the unique constraint) fails the caller's whole transaction, never only this part of
    # it, so the event and the write it records stay together (and a booking spends no
    # SAVEPOINT/RELEASE pair on it).
    enclosed = connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        patient_ids = sorted(by_patient)
        known = {chain.patient_id: chain.head for chain in locked}
        if all(patient_id in known for patient_id in patient_ids):
            heads = {pid: head for pid, head in known.items() if head is not None}
        else:
            _lock_chains(patient_ids)
            heads = _heads(patient_ids)
        for patient_id in patient_ids:
            seq, prev = heads.get(patient_id, (0, GENESIS_HASH))
            for event in by_patient[patient_id]:
                seq += 1
                row = _new_row(
                    patient_id=patient_id,
                    seq=seq,
                    occurred_at=now,
                    category=event.category,
                    action=event.action,
                    actor_id=event.actor_id,
                    document_id=event.document_id,
                    detail=event.detail[:255],
                    ip_address=event.ip_address,
                    user_agent=event.user_agent[:255],
                    emergency=event.emergency,
                    data=_plain(event.data) if event.data else {},
                    prev_hash=prev,
                )
                row.body = body_of(row=row)
                row.hash = prev = link_hash(prev, row.body)
                rows.append(row)
        _store(rows)
        # The access log is read from the chain: its cached lists (core.cached_responses).
        logged = {row.patient_id for row in rows if row.category == AuditCategory.ACCESS}
        if logged:
            keys = sorted(access_log_key(patient_id) for patient_id in logged)
            # In a transaction of its own nothing reads after the append: after commit is
            # enough (a round trip to the cache fewer for every logged read).
            (bump if enclosed else bump_on_commit)(*keys)
    return rows


@functools.cache
def _fields() -> tuple[tuple[str, Any], ...]:
    return tuple((field.attname, field) for field in AuditEvent._meta.concrete_fields)


def _new_row(**values: Any) -> AuditEvent:
    """`AuditEvent(**values)`, every other field at its default (the primary key; the body
    and the hash, which the caller sets), built positionally: Django's keyword path looks each
    field up by name and relation (measured: 0.54 -> 0.25 ms for a page's 20 events)."""
    return AuditEvent(
        *(values[name] if name in values else field.get_default() for name, field in _fields())
    )


def _store(rows: list[AuditEvent]) -> None:
    """One INSERT of the rows, as `bulk_create` writes them (queued inside a booking's batch,
    `core.insert_batch`, and sent there with the booking's other rows)."""
    pk = AuditEvent._meta.pk
    assert pk is not None
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]

    def stored(found: list[tuple[Any, ...]]) -> None:
        for row, (row_pk,) in zip(rows, found, strict=True):
            row.pk = row_pk
            row._state.adding = False
            row._state.db = connection.alias

    insert(Rows(AuditEvent, fields, [prepared(row, fields) for row in rows], [pk], then=stored))


def record(*, locked: Sequence[LockedChain] = (), **kwargs: Any) -> AuditEvent:
    """One event (the keyword arguments of `Event`)."""
    return audit_append([Event(**kwargs)], locked=locked)[0]


def checkpoint_message(
    *, patient_id: uuid.UUID, seq: int, head: str, signed_at: dt.datetime
) -> bytes:
    return canonical(
        {"patient": str(patient_id), "seq": seq, "head": head, "at": _iso(signed_at)}
    ).encode("utf-8")


def audit_checkpoint(*, patient_ids: Sequence[uuid.UUID] | None = None) -> int:
    """Sign every chain head that moved since its last checkpoint; returns how many were."""
    heads = AuditEvent.objects.values("patient_id").annotate(top=Max("seq"))
    if patient_ids is not None:
        heads = heads.filter(patient_id__in=patient_ids)
    signed = {
        row["patient_id"]: row["top"]
        for row in ChainCheckpoint.objects.values("patient_id").annotate(top=Max("seq"))
    }
    moved = [(h["patient_id"], h["top"]) for h in heads if signed.get(h["patient_id"]) != h["top"]]
    if not moved:
        return 0
    hashes = {
        (patient_id, seq): head
        for patient_id, seq, head in AuditEvent.objects.filter(
            patient_id__in=[p for p, _ in moved], seq__in={s for _, s in moved}
        ).values_list("patient_id", "seq", "hash")
    }
    now = timezone.now()
    kid = signing.key_id()
    checkpoints = [
        ChainCheckpoint(
            patient_id=patient_id,
            seq=seq,
            head=hashes[(patient_id, seq)],
            signed_at=now,
            key_id=kid,
            signature=signing.sign(
                checkpoint_message(
                    patient_id=patient_id, seq=seq, head=hashes[(patient_id, seq)], signed_at=now
                )
            ),
        )
        for patient_id, seq in moved
        if (patient_id, seq) in hashes
    ]
    ChainCheckpoint.objects.bulk_create(checkpoints, ignore_conflicts=True)
    return len(checkpoints)
