"""Background tasks of core: they take plain values and hold no rules."""

from django.tasks import task

from core.sms import send_sms


@task()
def send_sms_task(to: str, body: str) -> None:
    send_sms(to=to, body=body)


def enqueue_sms_on_commit(*, to: str, body: str) -> None:
    """Send an SMS once the current transaction commits (never for a rolled-back write)."""
    from django.db import transaction

    transaction.on_commit(lambda: send_sms_task.enqueue(to=to, body=body))
