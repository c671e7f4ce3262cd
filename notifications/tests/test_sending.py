"""Never lost, never twice: the locked send, retries with backoff, the sweep under a race."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from core.sms import SMSError
from core.testing import race
from notifications.models import Channel, Notification, Status
from notifications.services import notification_send, notifications_send_due
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Fails `failures` times, then takes messages."""

    failures = 2
    calls = 0
    sent: list[str] = []

    def send(self, *, to, body, kind="", variables=None):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SMSError("HTTP 503: try later")
        type(self).sent.append(body)
        return f"flaky-{type(self).calls}"


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = "notifications.tests.test_sending.FlakyBackend"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    FlakyBackend.calls, FlakyBackend.sent = 0, []
    return FlakyBackend


def test_a_provider_failing_twice_then_succeeding_sends_once_with_backoff(flaky):
    start = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        notification = NotificationFactory(due_at=start)
        notifications_send_due()
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
        assert notification.last_error == "HTTP 503: try later"
        assert notification.due_at == start + dt.timedelta(seconds=60)

        notifications_send_due()  # not due again yet: nothing happens
        assert flaky.calls == 1

        clock.move_to(start + dt.timedelta(seconds=60))
        notifications_send_due()
        notification.refresh_from_db()
        assert notification.attempts == 2
        assert notification.due_at == start + dt.timedelta(seconds=60 + 120)

        clock.move_to(start + dt.timedelta(seconds=180))
        notifications_send_due()
        notifications_send_due()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 3)
    assert notification.provider_message_id == "flaky-3"
    assert notification.last_error == ""
    assert flaky.sent == [notification.body]


def test_a_provider_that_never_recovers_ends_failed_after_the_attempts(flaky, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    flaky.failures = 99
    notification = NotificationFactory(due_at=timezone.now())
    notification_send(notification_id=notification.pk)
    notification_send(notification_id=notification.pk, now=timezone.now() + dt.timedelta(hours=1))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 2)
    flaky.failures = 2


def test_sending_a_sent_or_future_notification_again_does_nothing(sms_outbox):
    sent = NotificationFactory(status=Status.SENT)
    later = NotificationFactory(due_at=timezone.now() + dt.timedelta(hours=1))
    assert notification_send(notification_id=sent.pk) is None
    assert notification_send(notification_id=later.pk) is None
    assert sms_outbox == []


def test_a_push_without_devices_is_skipped_with_a_reason():
    notification = NotificationFactory(channel=Channel.PUSH)
    assert notification_send(notification_id=notification.pk) == Status.SKIPPED
    notification.refresh_from_db()
    assert notification.last_error == "no registered device"


RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.postgres
@RACE
def test_two_sweeps_at_once_send_each_message_exactly_once(sms_outbox):
    due = NotificationFactory.create_batch(60, due_at=timezone.now() - dt.timedelta(minutes=1))
    results = race([notifications_send_due, notifications_send_due])

    bodies = [message.body for message in sms_outbox]
    assert sorted(bodies) == sorted(row.body for row in due)
    assert len(set(bodies)) == 60
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert sum(result.outcomes.get("sent", 0) for result in results) == 60


class BrokenBackend:
    def send(self, *, to, body, kind="", variables=None):
        raise RuntimeError("a bug in a backend")


def test_an_unexpected_error_is_retried_later_and_does_not_stop_the_sweep(settings):
    settings.SMS_BACKEND = "notifications.tests.test_sending.BrokenBackend"
    first, second = NotificationFactory.create_batch(2, due_at=timezone.now())
    result = notifications_send_due()
    assert result.due == 2
    for notification in (first, second):
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
        assert notification.last_error == "RuntimeError: a bug in a backend"
