"""Demo reminders for `make run`: the bookings of seed_appointments already wrote their
confirmations (var/sms.jsonl) and queued their reminders, which fall due days later. So that
`manage.py send_due_notifications` has something to show now, the demo patient's earliest
queued reminder is made due at once (as if it were the day before the visit). Idempotent."""

from django.utils import timezone

from notifications.models import Kind, Notification, Status
from users.models import User

DEMO_PATIENT_CONTACT = "+919876500001"


def seed_notifications() -> str:
    patient = User.objects.filter(contact=DEMO_PATIENT_CONTACT).first()
    if patient is None:
        return "skipped (needs the demo patient)"
    reminders = Notification.objects.filter(recipient=patient, kind=Kind.APPOINTMENT_REMINDER)
    if (
        reminders.filter(status=Status.SENT).exists()
        or reminders.filter(status=Status.QUEUED, due_at__lte=timezone.now()).exists()
    ):
        return "already there"
    first = reminders.filter(status=Status.QUEUED).order_by("due_at", "id").first()
    if first is None:
        return "skipped (no queued reminder)"
    due = reminders.filter(subject=first.subject, key__contains=":reminder:24h:")
    moved = due.filter(status=Status.QUEUED).update(due_at=timezone.now())
    return f"{moved} reminder(s) of {first.subject} due now: run manage.py send_due_notifications"
