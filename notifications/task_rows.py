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
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.tasks import Task
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.insert_batch import Rows, insert, prepared


def enqueue_rows(task: Task[Any, Any], kwargs_list: Sequence[dict[str, Any]]) -> bool:
    """Enqueue `task` once per kwargs in one INSERT if its backend is exactly django-tasks-db's
    `DatabaseBackend` (True), else do nothing (False: the caller enqueues one by one)."""
    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        return False
    backend.validate_task(task)
    results = [_result(backend, task, kwargs) for kwargs in kwargs_list]
    for result in results:
        pre_save.send(
            sender=DBTaskResult,
            instance=result,
            raw=False,
            using=connection.alias,
            update_fields=None,
        )
    fields = list(DBTaskResult._meta.concrete_fields)
    insert(Rows(DBTaskResult, fields, [prepared(result, fields) for result in results]))
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
    for result in results:
        task_enqueued.send(type(backend), task_result=result.task_result)
    return True


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
