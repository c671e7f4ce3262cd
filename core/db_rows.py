"""Model instances from the rows of hand-written statements, as the ORM builds them: each
column through the converters the ORM would apply to it (the backend's, then the field's), then
`Model.from_db` (so `post_init` is sent and `_state` is a loaded row's). Columns not read are
deferred: loaded on access, as with `.only()`.

Used where a statement is hand-written for its CPU (`appointments/booking_lock.py`, the
authenticated user's lookup in `users/authentication.py`): the values equal the ORM's on
PostgreSQL and SQLite alike (their tests compare them field by field).
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def model_field(model: type[Model], attname: str) -> Field[Any, Any]:
    return next(field for field in model._meta.concrete_fields if field.attname == attname)


def all_fields(model: type[Model]) -> tuple[str, ...]:
    """Every concrete field's attname, in the model's column order."""
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _converters(
    model: type[Model], alias: str, attnames: tuple[str, ...]
) -> list[tuple[Any, list[Any]]]:
    """Each column's expression and the converters the ORM would apply to its values."""
    found = []
    for attname in attnames:
        field = model_field(model, attname)
        expression = field.get_col(alias)
        converters = connection.ops.get_db_converters(expression)
        found.append((expression, converters + field.get_db_converters(connection)))
    return found


def instance_from_row[M: Model](
    model: type[M], alias: str, attnames: tuple[str, ...], values: Sequence[Any]
) -> M:
    """The `model` instance of one row's `values` for `attnames` (read from the table aliased
    `alias` in the statement), converted as the ORM converts them."""
    converted = list(values)
    for index, entry in enumerate(_converters(model, alias, attnames)):
        expression, converters = entry
        if converted[index] is not None:
            for converter in converters:
                converted[index] = converter(converted[index], expression, connection)
    return model.from_db(connection.alias, list(attnames), converted)
