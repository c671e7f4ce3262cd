"""INSERTs of one transaction sent together: inside `batched()`, on PostgreSQL, the rows that
writers of several apps hand to `insert()` are queued and go to the database in one statement
when the block ends (one data-modifying CTE per INSERT, their RETURNING columns in one result).
Elsewhere, and outside a block, `insert()` sends them at once.

Why: a booking writes four tables of three apps (the appointment and its first history row,
the outbox's rows, the audit event), each app its own rows, and paid a statement for each
INSERT (issue 16, target 4: 8 statements served, at most 6 asked). In one statement they cost
one round trip and one parse and plan: the bench's booking went from 8 to 6 statements served
(5 with `core.riders`; the measurements are in `appointments/booking.py`).

Nothing a writer could observe changes:
- The INSERTs are the same ones (columns from model metadata, values prepared by the fields,
  bound parameters), so every constraint checks them as before: a unique violation is the same
  IntegrityError, raised when the queue is sent (at the end of the block at the latest).
- While rows are queued, every statement that could see them is preceded by them: any
  statement but a plain read naming none of the queued tables (a write, a savepoint, a read of
  a queued table) sends the queue first (a `connection.execute_wrapper`), so reads see the
  rows written before them, as if each INSERT had been sent at once.
- Rows are queued only at the block's own transaction level: an `insert()` inside a savepoint
  opened within the block is sent at once (its SAVEPOINT statement has sent the queue before
  it), so a savepoint rolled back never takes queued rows with it.
- A block left by an exception drops its queue: the block must run inside an atomic block,
  which the exception rolls back too.
The RETURNING values reach the writer's `then` when the rows are sent, not when it calls
`insert()`: a writer in a block must not use them before (the booking's writers do not).

Rows that must hold the ids of queued rows (the outbox's send tasks hold their notification's
id: `notifications.task_rows`) go with them as `Derived` rows: one more CTE in the same
statement, reading the other's RETURNING, so a row refused by its unique key gets none. They
exist only where `insert()` queues (`queuing()`); elsewhere the writer stores them itself once
the ids are known.
"""

import datetime as dt
import functools
import ipaddress
import json
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Field, Model
from psycopg.types.json import Json, Jsonb

# PostgreSQL takes at most 65,535 bound parameters per statement; a queue is sent before it
# would grow past this, well inside it.
MAX_QUEUED_PARAMS = 30_000
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|COPY)\b", re.IGNORECASE)
_STATE = "_quickcare_insert_batch"


@dataclass
class Derived:
    """Rows of another table that hold values of the rows of a queued `Rows` known only once
    these are stored (their ids): written by the same statement, one CTE reading the other's
    RETURNING. Each row (`values`, prepared for `fields`) belongs to the stored row whose
    `match` column (one of the parent's `returning`) equals its entry in `matches` (as text);
    its `column` is `expression`, SQL over that stored row (named by `{parent}`). A row whose
    parent row is not stored (refused by a unique key with `ignore_conflicts`) is not written.
    Only inside a `batched()` block on PostgreSQL (`queuing()`)."""

    model: type[Model]
    fields: Sequence[Field[Any, Any]]
    values: list[list[Any]]
    matches: list[str]
    match: Field[Any, Any]
    column: Field[Any, Any]
    expression: str


@dataclass
class Rows:
    """One INSERT: `values` holds each row's values for `fields`, prepared for the database
    (`prepared`); `then` is given the RETURNING values of the rows stored, as tuples in the
    order of `returning` (with `ignore_conflicts`, a row refused by a unique key returns none).
    `derived` rows, if any, are written by the same statement (`Derived`)."""

    model: type[Model]
    fields: Sequence[Field[Any, Any]]
    values: list[list[Any]]
    returning: Sequence[Field[Any, Any]] = ()
    ignore_conflicts: bool = False
    then: Callable[[list[tuple[Any, ...]]], None] | None = None
    derived: Derived | None = None


@dataclass
class _Batch:
    depth: int  # the savepoints open where the block was opened (`_depth`)
    queued: list[Rows] = field(default_factory=list)
    sending: bool = False

    def params(self) -> int:
        return sum(_size(rows) for rows in self.queued)


def _size(rows: Rows) -> int:
    size = len(rows.values) * len(rows.fields)
    if rows.derived is not None:
        size += len(rows.derived.values) * len(rows.derived.fields)
    return size


# Fields of exactly these classes store a `str` or None as it is: their `pre_save` reads the
# attribute and `get_db_prep_save` returns such a value unchanged on every backend (through
# `get_prep_value` and `to_python`, five calls a value); `prepared` skips those calls for them.
_PLAIN_TEXT = (models.CharField, models.TextField)


@functools.lru_cache(maxsize=256)
def _address(field: Field[Any, Any], value: str, vendor: str) -> Any:
    """An IP address field's prepared value (parsed and checked by the field: 10 us a value,
    half an access event's preparation), the same for the same text on one backend: a page of
    access events carries one client address 20 times."""
    return field.get_db_prep_save(value, connections[DEFAULT_DB_ALIAS])


def prepared(instance: Model, fields: Sequence[Field[Any, Any]]) -> list[Any]:
    """The instance's values for `fields` as an INSERT of `save()` writes them (`pre_save`, so
    `auto_now_add`, then `get_db_prep_save`; a plain text field's `str` or None as it is). The
    fields are given the connection itself, not its proxy (`django.db.connection`), whose
    every attribute is a context-local lookup. A booking prepares some 180 values: the two
    took an outbox row from 32 to 20 us of CPU (`tests/test_insert_batch.py` holds each value
    equal to `get_db_prep_save`'s)."""
    real = connections[DEFAULT_DB_ALIAS]
    values = []
    for one in fields:
        if type(one) in _PLAIN_TEXT:
            value = getattr(instance, one.attname)
            if value is None or type(value) is str:
                values.append(value)
                continue
        elif type(one) is models.GenericIPAddressField:
            value = getattr(instance, one.attname)
            if type(value) is str:
                values.append(_address(one, value, real.vendor))
                continue
        values.append(one.get_db_prep_save(one.pre_save(instance, True), real))
    return values


def _depth() -> int:
    """The savepoints open: an atomic block without one (`savepoint=False`, as the audit append
    nests) is the same transaction level, and an error in it fails the enclosing block."""
    return sum(1 for savepoint in connection.savepoint_ids if savepoint is not None)


def _open() -> _Batch | None:
    batch: _Batch | None = getattr(connection, _STATE, None)
    return batch


def queuing() -> bool:
    """Whether `insert()` queues its rows here (an open `batched()` block at its own
    transaction level, on PostgreSQL): where `Derived` rows may be given."""
    batch = _open()
    return batch is not None and not batch.sending and _depth() == batch.depth


def insert(rows: Rows) -> None:
    """Store the rows: queued inside an open `batched()` block at its own transaction level,
    sent now otherwise."""
    if not rows.values:
        if rows.then is not None:
            rows.then([])
        return
    assert rows.derived is None or rows.derived.match in rows.returning
    batch = _open()
    if batch is None or not queuing():
        assert rows.derived is None, "derived rows are written only by a batch (queuing())"
        _send_now(rows)
        return
    size = _size(rows)
    if size > MAX_QUEUED_PARAMS:
        _send_queue(batch)
        if rows.derived is None:
            _send_now(rows)  # in parts
        else:  # with its derived rows, which read its RETURNING in the same statement
            _send_together(batch, [rows])
        return
    if batch.params() + size > MAX_QUEUED_PARAMS:
        _send_queue(batch)
    batch.queued.append(rows)


@contextmanager
def batched() -> Iterator[None]:
    """Queue the `insert()`s of the block and send them in one statement at its end (on
    PostgreSQL; a no-op elsewhere, and inside a block already open). Must run inside an atomic
    block (`transaction.atomic`)."""
    if connection.vendor != "postgresql" or _open() is not None:
        yield
        return
    assert connection.in_atomic_block, "batched() needs the atomic block it writes in"
    batch = _Batch(depth=_depth())
    setattr(connection, _STATE, batch)

    def before(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        if batch.queued and not batch.sending and _may_see(str(sql), batch):
            _send_queue(batch)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(before):
            yield
            _send_queue(batch)
    finally:
        batch.queued = []
        delattr(connection, _STATE)


def _may_see(sql: str, batch: _Batch) -> bool:
    """Whether the statement could see the queued rows, or change what they meet: anything but
    a read that names none of their tables."""
    if sql.lstrip()[:6].upper() != "SELECT" or _WRITES.search(sql):
        return True
    tables = [rows.model._meta.db_table for rows in batch.queued]
    tables += [rows.derived.model._meta.db_table for rows in batch.queued if rows.derived]
    return any(re.search(rf"\b{re.escape(table)}\b", sql) for table in tables)


@dataclass(frozen=True)
class _Shape:
    """What the text of an INSERT depends on (its cache key)."""

    model: type[Model]
    columns: tuple[str, ...]
    returning: tuple[str, ...]
    ignore_conflicts: bool
    vendor: str
    count: int  # rows, for VALUES (0 on PostgreSQL: one parameter holds them all)


@functools.lru_cache(maxsize=256)
def _insert_sql(rows: _Shape) -> str:
    """The INSERT of `rows`: on PostgreSQL its rows in one parameter, a JSON array of objects
    by column name (`json_populate_recordset` over the table's row type casts each value with
    the column type's own input function), so the text and its one parameter stay the same
    however many rows there are: psycopg parses it once (it parses anew every statement of
    more than 50 parameters) and PostgreSQL prepares it once. Elsewhere, VALUES with one
    parameter per value."""
    quote = connection.ops.quote_name
    table = quote(rows.model._meta.db_table)
    names = ", ".join(quote(column) for column in rows.columns)
    if rows.vendor == "postgresql":
        source = f"SELECT {names} FROM json_populate_recordset(NULL::{table}, %s::json)"  # noqa: S608
    else:
        one = "(" + ", ".join(["%s"] * len(rows.columns)) + ")"
        source = f"VALUES {', '.join([one] * rows.count)}"
    sql = f"INSERT INTO {table} ({names}) {source}"  # names from the model, values bound
    if rows.ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if rows.returning:
        sql += f" RETURNING {', '.join(quote(column) for column in rows.returning)}"
    return sql


def _statement(rows: Rows) -> tuple[str, list[Any]]:
    vendor = connection.vendor
    shape = _Shape(
        rows.model,
        tuple(str(field.column) for field in rows.fields),
        tuple(str(field.column) for field in rows.returning),
        rows.ignore_conflicts,
        vendor,
        0 if vendor == "postgresql" else len(rows.values),
    )
    if vendor == "postgresql":
        return _insert_sql(shape), [_json_rows(shape.columns, rows.values)]
    return _insert_sql(shape), [value for row in rows.values for value in row]


def _json_rows(columns: tuple[str, ...], values: list[list[Any]]) -> str:
    """The rows as a JSON array of objects by column name; a NULL is left out (a missing key
    is NULL), so a JSON column never receives JSON's own null for it."""
    keys = _keys(columns)
    return (
        "["
        + ",".join(
            "{"
            + ",".join(
                key + _json(value)
                for key, value in zip(keys, row, strict=True)
                if value is not None
            )
            + "}"
            for row in values
        )
        + "]"
    )


@functools.lru_cache(maxsize=64)
def _keys(columns: tuple[str, ...]) -> list[str]:
    return [json.dumps(column) + ":" for column in columns]


# The C encoder of `json.dumps` for strings, without its generic dispatch (a booking encodes
# some 150 values: json.dumps was a third of this module's CPU).
_string = json.encoder.encode_basestring_ascii


def _json(value: Any) -> str:
    """A value prepared by its field (`get_db_prep_save`), as JSON text its column's input
    function reads back as the same value (a test holds every column of the booking's rows)."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Json | Jsonb):  # a JSON field's value: its own encoder's text
        text = (value.dumps or json.dumps)(value.obj)
        return text.decode() if isinstance(text, bytes) else text
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return '"' + value.isoformat() + '"'
    if isinstance(value, Decimal | uuid.UUID | ipaddress.IPv4Address | ipaddress.IPv6Address):
        return '"' + str(value) + '"'
    raise TypeError(f"no JSON form for {type(value).__name__} in a batched INSERT")


def _converted(rows: Rows, found: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [
        tuple(
            None if value is None else field.to_python(value)
            for field, value in zip(rows.returning, row, strict=False)
        )
        for row in found
    ]


def _send_now(rows: Rows) -> None:
    """One INSERT per chunk the backend takes (`bulk_batch_size`, as `bulk_create` splits,
    and at most MAX_QUEUED_PARAMS parameters)."""
    size = min(
        connection.ops.bulk_batch_size(list(rows.fields), rows.values),
        MAX_QUEUED_PARAMS // max(1, len(rows.fields)),
    )
    size = max(1, size)
    found: list[Sequence[Any]] = []
    for start in range(0, len(rows.values), size):
        values = rows.values[start : start + size]
        chunk = Rows(rows.model, rows.fields, values, rows.returning, rows.ignore_conflicts)
        with connection.cursor() as cursor:
            cursor.execute(*_statement(chunk))
            if rows.returning:
                found += cursor.fetchall()
    if rows.then is not None:
        rows.then(_converted(rows, found))


def _send_queue(batch: _Batch) -> None:
    queued, batch.queued = batch.queued, []
    if not queued:
        return
    if len(queued) == 1 and queued[0].derived is None:
        batch.sending = True
        try:
            _send_now(queued[0])
        finally:
            batch.sending = False
        return
    _send_together(batch, queued)


def _derived_sql(derived: Derived, parent: str) -> str:
    """The INSERT of `derived` rows, each joined by its place to its entry of `matches` (the
    second parameter), and by that to the stored row of `parent` (a CTE) it belongs to."""
    quote = connection.ops.quote_name
    table = quote(derived.model._meta.db_table)
    names = [quote(str(field.column)) for field in derived.fields]
    target = quote(str(derived.column.column))
    expression = derived.expression.format(parent="p")
    values = ", ".join(expression if name == target else f"r.{name}" for name in names)
    return (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {values}"  # noqa: S608 (names from models)
        f" FROM json_populate_recordset(NULL::{table}, %s::json) WITH ORDINALITY AS r"
        " JOIN json_array_elements_text(%s::json) WITH ORDINALITY AS k(value, ordinality)"
        f" ON k.ordinality = r.ordinality JOIN {parent} p"
        f" ON CAST(p.{quote(str(derived.match.column))} AS text) = k.value"
    )


def _send_together(batch: _Batch, queued: list[Rows]) -> None:
    """The rows in one statement: a data-modifying CTE per INSERT, their RETURNING values in
    one result."""
    width = max(1, *(len(rows.returning) for rows in queued))
    ctes, selects, params = [], [], []
    for index, rows in enumerate(queued):
        sql, values = _statement(rows)
        ctes.append(f"q{index} AS ({sql})")
        params += values
        if rows.derived is not None:
            derived = rows.derived
            names = tuple(str(field.column) for field in derived.fields)
            ctes.append(f"q{index}d AS ({_derived_sql(derived, f'q{index}')})")
            params += [_json_rows(names, derived.values), json.dumps(derived.matches)]
        if rows.returning:
            quote = connection.ops.quote_name
            columns = [f"CAST(q{index}.{quote(str(f.column))} AS text)" for f in rows.returning]
            columns += ["NULL"] * (width - len(columns))
            selects.append(f"SELECT {index}, {', '.join(columns)} FROM q{index}")  # noqa: S608
    if not selects:  # every CTE still runs, to completion, though none is read
        selects.append(f"SELECT -1, {', '.join(['NULL'] * width)} WHERE false")
    sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(selects)}"
    batch.sending = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
    finally:
        batch.sending = False
    for index, rows in enumerate(queued):
        if rows.then is not None:
            mine = [row[1 : 1 + len(rows.returning)] for row in found if row[0] == index]
            rows.then(_converted(rows, mine))
