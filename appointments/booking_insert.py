"""A new appointment and its first history row, stored together: on PostgreSQL in one statement
(a data-modifying CTE: the history row takes the appointment's new id), elsewhere through the
ORM, one INSERT each.

Why: the two INSERTs were two round trips and two ORM compilations of every booking (issue 16,
target 4). Nothing of what a save does is skipped: the values are what `save()` would write
(each field's `pre_save`, so `auto_now_add`, and `get_db_prep_save`), the instances end as a
save leaves them (primary key, `_state`), and `pre_save` and `post_save` are sent for each, as
a save sends them (the public caches bump on `post_save`, `appointments/cache_receivers.py`).
Both partial unique constraints check the INSERT as before: a lost race is the same
IntegrityError.
"""

import functools
import string
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

from appointments.models import Appointment, AppointmentStatusChange
from users.selectors import fill_patient_pair

_SQL = string.Template(
    "WITH a AS (INSERT INTO $appointment ($appointment_columns) VALUES ($appointment_values)"
    " RETURNING $appointment_pk)"
    " INSERT INTO $change ($change_fk, $change_columns) SELECT a.$appointment_pk,"
    " $change_values FROM a RETURNING $change_fk, $change_pk"
)


def _fields(model: type[Model], *, leave_out: str = "") -> list[Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname != leave_out
    ]


@functools.cache
def _sql() -> str:
    quote = connection.ops.quote_name
    appointment, change = (
        _fields(Appointment),
        _fields(AppointmentStatusChange, leave_out="appointment_id"),
    )
    assert Appointment._meta.pk is not None
    assert AppointmentStatusChange._meta.pk is not None
    return _SQL.substitute(
        appointment=quote(Appointment._meta.db_table),
        appointment_columns=", ".join(quote(str(field.column)) for field in appointment),
        appointment_values=", ".join(["%s"] * len(appointment)),
        appointment_pk=quote(str(Appointment._meta.pk.column)),
        change=quote(AppointmentStatusChange._meta.db_table),
        change_fk=quote("appointment_id"),
        change_columns=", ".join(quote(str(field.column)) for field in change),
        change_values=", ".join(["%s"] * len(change)),
        change_pk=quote(str(AppointmentStatusChange._meta.pk.column)),
    )


def _values(instance: Model, fields: list[Field[Any, Any]]) -> list[Any]:
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _saved(instance: Model, pk: Any) -> None:
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )


def insert_with_first_change(appointment: Appointment, change: AppointmentStatusChange) -> None:
    """Store the unsaved `appointment` and `change` (its first history row), as `save()`
    would store each."""
    if connection.vendor != "postgresql":
        appointment.save(force_insert=True)
        change.appointment = appointment
        change.save(force_insert=True)
        return
    fill_patient_pair(appointment)  # what Appointment.save does first
    for instance in (appointment, change):
        pre_save.send(
            sender=type(instance),
            instance=instance,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )
    params = _values(appointment, _fields(Appointment))
    params += _values(change, _fields(AppointmentStatusChange, leave_out="appointment_id"))
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        appointment_id, change_id = cursor.fetchone()
    _saved(appointment, appointment_id)
    change.appointment = appointment
    _saved(change, change_id)
