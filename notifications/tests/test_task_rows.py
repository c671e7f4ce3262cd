"""The outbox's send tasks with django-tasks-db's backend (`notifications.task_rows`): one
INSERT for every notification of an `enqueue`, each row what `Task.enqueue` stores."""

import pytest
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from notifications.services import enqueue
from notifications.tasks import send_notification
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
COMPARED = [field.attname for field in DBTaskResult._meta.concrete_fields if field.attname != "id"]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _columns(row):
    values = {name: getattr(row, name) for name in COMPARED}
    values.pop("enqueued_at")  # auto_now_add: the time of each write
    return values


def test_the_rows_are_what_task_enqueue_stores(database_queue):
    first, second = NotificationFactory(), NotificationFactory()
    announced = []

    def listen(sender, task_result, **kwargs):
        announced.append(task_result)

    task_enqueued.connect(listen)
    try:
        with CaptureQueriesContext(connection) as captured:
            enqueue(notification_ids=[first.pk, second.pk])
    finally:
        task_enqueued.disconnect(listen)

    assert len(captured) == 1  # both rows in one INSERT
    ours = list(DBTaskResult.objects.order_by("enqueued_at", "args_kwargs"))
    reference = send_notification.enqueue(notification_id=first.pk)
    stored = DBTaskResult.objects.get(pk=reference.id)
    assert [row.args_kwargs for row in ours] == [
        {"args": [], "kwargs": {"notification_id": first.pk}},
        {"args": [], "kwargs": {"notification_id": second.pk}},
    ]
    assert _columns(ours[0]) == _columns(stored)
    for row in ours:  # the worker reads it back as the same task
        assert row.task_result.task.func == send_notification.func
        assert row.enqueued_at is not None
    assert [result.kwargs for result in announced] == [
        {"notification_id": first.pk},
        {"notification_id": second.pk},
    ]
    assert [str(result.id) for result in announced] == [str(row.id) for row in ours]


def test_the_rows_run_the_send_as_the_worker_does(database_queue):
    notification = NotificationFactory()
    enqueue(notification_ids=[notification.pk])
    row = DBTaskResult.objects.get()
    assert row.status == "READY"
    result = row.task_result
    result.task.call(*result.args, **result.kwargs)
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_other_backends_enqueue_through_the_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    default_task_backend.clear()
    notification = NotificationFactory()
    enqueue(notification_ids=[notification.pk])
    assert DBTaskResult.objects.count() == 0
    [result] = default_task_backend.results
    assert result.kwargs == {"notification_id": notification.pk}


# --- a booking's send tasks, written with its rows ---------------------------------------


@pytest.fixture
def booked_with_database_queue(
    database_queue, client_for, monday_window, patient, doctor_profile, committed
):
    """Book once with django-tasks-db's backend: the statements until the commit, those after
    it, and the task results announced."""
    from appointments.tests.conftest import BOOK_URL, booking_body

    client = client_for(patient)
    announced = []

    def listen(sender, task_result, **kwargs):
        announced.append(task_result)

    task_enqueued.connect(listen)
    after: list[str] = []
    try:
        with CaptureQueriesContext(connection) as captured, committed() as callbacks:
            response = client.post(BOOK_URL, booking_body(doctor_profile.pk), format="json")
            before = [query["sql"] for query in captured]
        after = [query["sql"] for query in captured][len(before) :]
    finally:
        task_enqueued.disconnect(listen)
    assert response.status_code == 201, response.content
    return before, after, announced, callbacks


def _due_now():
    from notifications.models import Status

    return list(
        Notification.objects.filter(status=Status.QUEUED, due_at__lte=timezone.now()).order_by("id")
    )


def test_a_booking_writes_its_send_tasks_in_its_one_insert(booked_with_database_queue):
    before, after, announced, _ = booked_with_database_queue
    waiting = _due_now()
    assert waiting  # the patient's SMS at least
    tasks = list(DBTaskResult.objects.order_by("args_kwargs"))
    assert sorted(row.args_kwargs["kwargs"]["notification_id"] for row in tasks) == [
        row.pk for row in waiting
    ]
    reference = DBTaskResult.objects.get(
        pk=send_notification.enqueue(notification_id=waiting[0].pk).id
    )
    for row in tasks:  # what Task.enqueue stores, but for its notification's id
        assert _columns(row) | {"args_kwargs": None} == _columns(reference) | {"args_kwargs": None}
    assert sorted(str(result.id) for result in announced) == sorted(str(row.id) for row in tasks)
    assert sorted(result.kwargs["notification_id"] for result in announced) == [
        row.pk for row in waiting
    ]
    if connection.vendor == "postgresql":  # one statement stores the rows and their tasks
        inserts = [sql for sql in before if "INSERT INTO" in sql]
        assert len(inserts) == 1
        assert f'INSERT INTO "{DBTaskResult._meta.db_table}"' in inserts[0]
        assert after == []  # nothing written after the commit
    else:  # no batch: the tasks' one INSERT after the commit
        assert [sql for sql in after if "INSERT INTO" in sql] == [
            sql for sql in after if DBTaskResult._meta.db_table in sql
        ]
        assert len(after) == 1


def test_a_replayed_row_gets_no_task_and_a_savepoint_none(database_queue):
    """Only rows the batch's INSERT stores get a task (a replay is refused by its key); where
    `insert()` would not queue (no batch, SQLite, a savepoint inside the block) there are no
    derived rows: the caller enqueues after the commit."""
    from django.db import transaction

    from core.insert_batch import batched
    from notifications.services import _insert_new, _tasks_with

    replayed = NotificationFactory()
    assert _tasks_with([replayed]) is None  # not in a batch
    fresh = NotificationFactory.build(recipient=replayed.recipient, key="fresh:sms")
    again = NotificationFactory.build(recipient=replayed.recipient, key=replayed.key)
    with transaction.atomic(), batched():
        tasks = _tasks_with([again, fresh])
        if connection.vendor != "postgresql":
            assert tasks is None
            return
        with transaction.atomic():
            assert _tasks_with([fresh]) is None  # a savepoint: sent at once, not queued
            transaction.set_rollback(True)
        assert tasks is not None
        _insert_new([again, fresh], tasks)
    assert again.pk is None
    assert fresh.pk is not None
    [row] = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [], "kwargs": {"notification_id": fresh.pk}}
    assert [result.pk for result in tasks.sent] == [row.pk]
    assert tasks.sent[0].args_kwargs == row.args_kwargs
