"""A new appointment and its first history row, stored as `save()` stores each: on PostgreSQL
two INSERTs queued in the booking's batch (`core.insert_batch`: sent in one statement with the
outbox's rows and the audit event), the appointment under the id the booking's lock statement
reserved (`booking_lock`: its sequence's `nextval`), elsewhere through the ORM, one INSERT each.

Why: the appointment, its history row, the outbox's rows and the audit event were four INSERTs
of one booking, so four round trips (issue 16, target 4); the outbox's keys and the audit
event's hashed body hold the appointment's id, so the id is reserved before any of them is
built. Nothing of what a save does is skipped: the values are what `save()` would write (each
field's `pre_save`, so `auto_now_add`, and `get_db_prep_save`), the instances end as a save
leaves them (primary key, `_state`), and `pre_save` and `post_save` are sent for each, as a
save sends them: `post_save` once the rows are stored (the public caches bump on it,
`appointments/cache_receivers.py`). Both partial unique constraints check the INSERT as before:
a lost race is the same IntegrityError, raised when the batch is sent.
"""

from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

from appointments.models import Appointment, AppointmentStatusChange
from core.insert_batch import Rows, insert, prepared
from users.selectors import fill_patient_pair


def _fields(model: type[Model], *, with_pk: bool) -> list[Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]


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
    would store each; an `appointment` with its id already set (reserved by the booking's lock
    on PostgreSQL) goes through `core.insert_batch` (queued inside `batched()`)."""
    if appointment.pk is None or connection.vendor != "postgresql":
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
    change.appointment = appointment
    appointment_fields = _fields(Appointment, with_pk=True)
    change_fields = _fields(AppointmentStatusChange, with_pk=False)
    assert AppointmentStatusChange._meta.pk is not None
    insert(
        Rows(
            Appointment,
            appointment_fields,
            [prepared(appointment, appointment_fields)],
            then=lambda _: _saved(appointment, appointment.pk),
        )
    )
    insert(
        Rows(
            AppointmentStatusChange,
            change_fields,
            [prepared(change, change_fields)],
            returning=[AppointmentStatusChange._meta.pk],
            then=lambda found: _saved(change, found[0][0]),
        )
    )
