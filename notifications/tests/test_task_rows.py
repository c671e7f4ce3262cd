"""The outbox's send tasks with django-tasks-db's backend (`notifications.task_rows`): one
INSERT for every notification of an `enqueue`, each row what `Task.enqueue` stores."""

import pytest
from django.db import connection
from django.tasks.signals import task_enqueued
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

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
