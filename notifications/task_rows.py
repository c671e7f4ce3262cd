"""The send tasks of the outbox, written by one hand-written INSERT when the tasks backend is
django-tasks-db's `DatabaseBackend` (production's, `.env.production.example`).

Why: `Task.enqueue` stores each task row with `DBTaskResult.objects.create`, one statement per
notification, whose composition and compilation cost 0.40-0.54 ms of CPU per task against
0.27-0.29 ms here (300 enqueues on the bench's database), 0.65 ms of a booking's 6.8 ms of worker
CPU (`python -m bench.profile --booking`). Here every row of one `enqueue` goes in one INSERT
(`core.insert_batch.insert`, which sends at once outside a batch),
and nothing the backend does is skipped: the task is validated, each row gets the backend's id
(`id_function`), its values are `_task_to_db_task`'s, `pre_save` and `post_save` are sent as
`create()` sends them (django-tasks-db's `pre_save` receiver sets the unset `run_after`), and
`task_enqueued` is sent for each result. `tests/test_task_rows.py` holds every column equal to
what `send_notification.enqueue` stores. Any other backend (the immediate one of the tests and
of development, the dummy) is called through `Task.enqueue` as before.

Inside a booking's batch (`core.insert_batch.queuing()`) the task rows go further: they are
`Derived` rows of the outbox's INSERT (`queued_with`), written by the booking's one INSERT
statement with the ids it returns, so no statement is left for after the commit (the bench's
booking: 5 statements served to 4). They commit with the notifications (a rolled-back booking
leaves none) and the worker can only see them then, so each send still runs after the commit;
`task_enqueued` is sent after it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save
from django.tasks import Task
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.insert_batch import Derived, Rows, insert, prepared, queuing


def _database_backend(task: Task[Any, Any]) -> DatabaseBackend | None:
    backend = task.get_backend()
    return backend if type(backend) is DatabaseBackend else None


def enqueue_rows(task: Task[Any, Any], kwargs_list: Sequence[dict[str, Any]]) -> bool:
    """Enqueue `task` once per kwargs in one INSERT if its backend is exactly django-tasks-db's
    `DatabaseBackend` (True), else do nothing (False: the caller enqueues one by one)."""
    backend = _database_backend(task)
    if backend is None:
        return False
    backend.validate_task(task)
    results = [_result(backend, task, kwargs) for kwargs in kwargs_list]
    _pre_save(results)
    fields = list(DBTaskResult._meta.concrete_fields)
    insert(Rows(DBTaskResult, fields, [prepared(result, fields) for result in results]))
    _post_save(results)
    _announce(backend, results)
    return True


@dataclass
class QueuedTasks:
    """The task rows of a batch's rows to send (`queued_with`): `derived` goes with their
    INSERT; `stored` is given its RETURNING (id, match) pairs; `announce` runs after the
    commit."""

    backend: DatabaseBackend
    derived: Derived
    by_match: dict[str, DBTaskResult]
    kwarg: str
    sent: list[DBTaskResult] = field(default_factory=list)

    def stored(self, found: Sequence[tuple[Any, Any]]) -> None:
        """The rows the statement stored: their task rows were written with them."""
        for pk, match in found:
            result = self.by_match[str(match)]
            result.args_kwargs = normalize_json({"args": (), "kwargs": {self.kwarg: pk}})
            self.sent.append(result)
        _post_save(self.sent)

    def announce(self) -> None:
        _announce(self.backend, self.sent)


def queued_with(
    task: Task[Any, Any], *, model: type[Model], matches: Sequence[str], kwarg: str
) -> QueuedTasks | None:
    """The rows of `task(**{kwarg: <id>})` for the `model` rows being queued in a batch
    (`core.insert_batch.queuing()`), one per entry of `matches` (each row's value of its unique
    `key`), written by the statement that stores those rows, with their ids (None: not a
    batch, or another backend: enqueue after the commit instead)."""
    backend = _database_backend(task)
    if backend is None or not matches or not queuing() or not kwarg.isidentifier():
        return None
    backend.validate_task(task)
    results = [_result(backend, task, {kwarg: None}) for _ in matches]
    _pre_save(results)
    fields = list(DBTaskResult._meta.concrete_fields)
    column = DBTaskResult._meta.get_field("args_kwargs")
    meta = model._meta
    assert isinstance(column, Field)
    assert meta.pk is not None
    pk = connection.ops.quote_name(str(meta.pk.column))
    key = meta.get_field("key")
    assert isinstance(key, Field)
    values = [prepared(result, fields) for result in results]
    at = fields.index(column)
    for row in values:
        row[at] = None  # the expression's: `args_kwargs` with the stored row's id
    # `kwarg` is an identifier (checked above), so a plain SQL literal.
    expression = (
        "jsonb_build_object('args', jsonb_build_array(), 'kwargs',"
        f" jsonb_build_object('{kwarg}', {{parent}}.{pk}))"
    )
    derived = Derived(DBTaskResult, fields, values, list(matches), key, column, expression)
    return QueuedTasks(backend, derived, dict(zip(matches, results, strict=True)), kwarg)


def _pre_save(results: Sequence[DBTaskResult]) -> None:
    for result in results:
        pre_save.send(
            sender=DBTaskResult,
            instance=result,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )


def _post_save(results: Sequence[DBTaskResult]) -> None:
    for result in results:
        result._state.adding = False
        result._state.db = connection.alias
        post_save.send(
            sender=DBTaskResult,
            instance=result,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )


def _announce(backend: DatabaseBackend, results: Sequence[DBTaskResult]) -> None:
    for result in results:
        task_enqueued.send(type(backend), task_result=result.task_result)


def _result(backend: DatabaseBackend, task: Task[Any, Any], kwargs: dict[str, Any]) -> DBTaskResult:
    """The unsaved row `DatabaseBackend._task_to_db_task` creates for `task(**kwargs)`."""
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": (), "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,  # type: ignore[misc]  # None until pre_save, as upstream
        backend_name=backend.alias,
    )
