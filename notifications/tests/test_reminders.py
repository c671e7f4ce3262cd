"""Reminders 24 h and 2 h before, clinic-local quiet hours, none for cancelled or past ones."""

import datetime as dt

import pytest
from django.core.management import call_command

from appointments.tests.conftest import IST
from notifications.models import Channel, Kind, NotificationPreference, Status
from notifications.services import notifications_send_due
from notifications.tests.conftest import one, rows

pytestmark = pytest.mark.django_db

REMINDER = (
    "QuickCare reminder: your appointment with Dr. Suresh Yadav at City Care Clinic is on "
    "9 March 2026 at 09:30."
)


def _reminders(channel=Channel.SMS):
    return {
        row.key.split(":")[3]: row for row in rows(kind=Kind.APPOINTMENT_REMINDER, channel=channel)
    }


def test_booking_schedules_both_reminders_the_early_one_after_quiet_hours(book_now, patient):
    book_now(patient)  # Monday 9 March, 09:30 in Jaipur
    reminders = _reminders()
    assert set(reminders) == {"24h", "2h"}
    assert reminders["24h"].due_at == dt.datetime(2026, 3, 8, 9, 30, tzinfo=IST)
    # 07:30 falls in the quiet hours (21:00-08:00): moved to their end, still before 09:30.
    assert reminders["2h"].due_at == dt.datetime(2026, 3, 9, 8, 0, tzinfo=IST)
    assert {row.status for row in reminders.values()} == {Status.QUEUED}
    assert reminders["24h"].valid_until == dt.datetime(2026, 3, 9, 9, 30, tzinfo=IST)


def test_a_reminder_whose_quiet_hours_end_too_late_is_skipped_with_a_reason(
    book_now, patient, settings
):
    settings.NOTIFICATION_QUIET_HOURS = "21:00-09:30"
    book_now(patient)
    skipped = _reminders()["2h"]
    assert skipped.status == Status.SKIPPED
    assert "quiet hours" in skipped.last_error


def test_the_sweep_sends_a_reminder_when_it_is_due_and_only_once(
    book_now, patient, clock, sms_outbox
):
    book_now(patient)
    sms_outbox.clear()
    clock.move_to(dt.datetime(2026, 3, 8, 9, 0, tzinfo=IST))
    notifications_send_due()
    assert sms_outbox == []

    clock.move_to(dt.datetime(2026, 3, 8, 9, 30, tzinfo=IST))
    notifications_send_due()
    notifications_send_due()
    assert [message.body for message in sms_outbox] == [REMINDER]
    reminders = _reminders()
    assert reminders["24h"].status == Status.SENT
    assert reminders["2h"].status == Status.QUEUED
    inbox = _reminders(Channel.INAPP)["24h"]
    assert (inbox.status, inbox.body) == (Status.SENT, REMINDER)


def test_cancelling_cancels_the_pending_reminders(
    book_now, patient, client_for, clock, sms_outbox, committed
):
    appointment_id = book_now(patient).json()["id"]
    with committed():
        client_for(patient).patch(
            f"/api/appointments/my/{appointment_id}/", {"status": "cancelled"}, format="json"
        )
    assert {row.status for row in rows(kind=Kind.APPOINTMENT_REMINDER)} == {Status.CANCELLED}
    sms_outbox.clear()
    clock.move_to(dt.datetime(2026, 3, 9, 9, 0, tzinfo=IST))
    notifications_send_due()
    assert sms_outbox == []


def test_a_booking_inside_the_offset_skips_that_reminder(book_now, patient, clock, monday_window):
    # Monday 2 March, 08:00: today's 11:00 is 3 hours away, so only the 2 h reminder is left.
    book_now(patient, appointment_date="2026-03-02", appointment_time="11:00")
    reminders = _reminders()
    assert reminders["24h"].status == Status.SKIPPED
    assert "less than 1440 minutes" in reminders["24h"].last_error
    assert reminders["2h"].due_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=IST)


def test_a_reminder_found_after_the_start_is_skipped_not_sent(book_now, patient, clock, sms_outbox):
    book_now(patient)
    sms_outbox.clear()
    clock.move_to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=IST))  # the sweep was down all night
    notifications_send_due()
    assert sms_outbox == []
    assert {row.status for row in _reminders().values()} == {Status.SKIPPED}


def test_reminders_opt_out_writes_none(book_now, patient):
    NotificationPreference.objects.create(user=patient, reminders=False)
    book_now(patient)
    assert rows(kind=Kind.APPOINTMENT_REMINDER) == []
    assert one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.SMS).status == Status.SENT


def test_the_command_dry_run_counts_and_sends_nothing(book_now, patient, clock, sms_outbox, capsys):
    book_now(patient)
    sms_outbox.clear()
    clock.move_to(dt.datetime(2026, 3, 8, 10, 0, tzinfo=IST))
    call_command("send_due_notifications", "--dry-run")
    assert "2 due (dry run" in capsys.readouterr().out  # the SMS and the inbox copy
    assert sms_outbox == []
    call_command("send_due_notifications", "--limit", "1")
    assert "1 due; sent: 1" in capsys.readouterr().out
    call_command("send_due_notifications")
    assert len(sms_outbox) == 1
