"""Background tasks of core: they take plain values and hold no rules."""

from collections.abc import Mapping

from django.tasks import task

from core.sms import send_sms


@task()
def send_sms_task(
    to: str, body: str, kind: str = "", variables: dict[str, str] | None = None
) -> None:
    send_sms(to=to, body=body, kind=kind, variables=variables)


def enqueue_sms_on_commit(
    *, to: str, body: str, kind: str = "", variables: Mapping[str, str] | None = None
) -> None:
    """Send an SMS once the current transaction commits (never for a rolled-back write)."""
    from django.db import transaction

    values = dict(variables) if variables is not None else None
    transaction.on_commit(
        lambda: send_sms_task.enqueue(to=to, body=body, kind=kind, variables=values)
    )
