"""Notification fixtures: the appointments' pinned clock and Monday window, clean outboxes,
and helpers to read what was sent where."""

import pytest

from appointments.tests.conftest import book, clock, monday_window  # noqa: F401 (fixtures)
from notifications.channels import push, whatsapp
from notifications.models import Notification


@pytest.fixture(autouse=True)
def _clean_channel_outboxes() -> None:
    whatsapp.outbox.clear()
    push.outbox.clear()


def rows(**filters) -> list[Notification]:
    return list(Notification.objects.filter(**filters).order_by("id"))


def one(**filters) -> Notification:
    found = rows(**filters)
    assert len(found) == 1, [row.key for row in Notification.objects.all()]
    return found[0]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...`: the block's after-commit work (the sends) runs at its end, as
    it would after the request's transaction in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def book_now(book, committed):  # noqa: F811 (the imported fixture)
    """book(user, **overrides) with its after-commit sends run."""

    def do(user, **overrides):
        with committed():
            return book(user, **overrides)

    return do
