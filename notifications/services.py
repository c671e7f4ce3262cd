"""Writing notifications (the outbox) and sending them, exactly once each.

Receivers call `notify` inside the transaction of the event, so the rows commit or roll back
with it; after the commit the rows due now are enqueued (one task per notification id; inside
a booking's batch with django-tasks-db's backend the task rows are written by the statement
that stores the notifications, so the worker sees them with the commit: `task_rows`). A send
locks its row (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL) and re-checks that it is
still queued and due, so two workers, or a task and the sweep, never send it twice; a provider
error leaves it queued with a later `due_at` (exponential backoff) until the attempts run out.
The sweep (`send_due_notifications`) sends whatever is due, so a worker that died loses nothing.
"""

import datetime as dt
import functools
import json
import logging
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.insert_batch import Rows, insert, prepared
from core.riders import carried
from notifications.channels import ChannelError, NotDeliverable
from notifications.delivery import deliver
from notifications.kinds import SPECS
from notifications.models import (
    PREFERENCE_FIELDS,
    Channel,
    Device,
    Kind,
    Notification,
    NotificationPreference,
    Status,
)
from notifications.render import language_for, render
from notifications.task_rows import QueuedTasks, enqueue_rows, queued_with
from users.models import User

logger = logging.getLogger(__name__)
quote = connection.ops.quote_name

# The preference that turns a kind off (kinds not listed here are always sent).
OPT_OUTS: dict[str, str] = {
    Kind.APPOINTMENT_REMINDER: "reminders",
    Kind.DOCUMENT_VIEWED: "access_alerts",
    Kind.APPOINTMENT_BOOKED_DOCTOR: "booking_alerts",
}


@dataclass
class Event:
    """One message to one person; `key` names the event (the channel is appended)."""

    recipient: User
    kind: str
    key: str
    subject: str
    zone: str
    values: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    region: str = ""
    when: dt.datetime | None = None
    due_at: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    skip_reason: str = ""


def preference_for(*, user: User) -> NotificationPreference:
    """The user's preferences (the defaults, unsaved, when they never set any)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def _channels(*, event: Event, preference: NotificationPreference, has_device: bool) -> list[str]:
    spec = SPECS[event.kind]
    channels: list[str] = [Channel.INAPP]
    if preference.sms or spec.always_sms:
        channels.append(Channel.SMS)
    if preference.whatsapp:
        channels.append(Channel.WHATSAPP)
    if preference.push and has_device:
        channels.append(Channel.PUSH)
    return channels


# The recipients' saved preferences and which of them have a push device, in one statement
# (hand-written, as the outbox's INSERT below: composing them with the ORM was most of the
# outbox's CPU in a booking, `python -m bench.profile --booking`), each row one JSON array: so
# it is also a rider of the booking's day statement (`core.riders`, registered in `ready`):
# a booking reads them there, one statement fewer, and `_preferences` parses those rows.
# Names come from model metadata; every value is a bound parameter.
_PREFERENCES_SQL = string.Template(
    "SELECT $array(0, p.user_id, $columns)$text AS payload FROM $preference p"
    " WHERE p.user_id IN ($ids)"
    " UNION ALL SELECT $array(1, d.user_id)$text FROM $device d WHERE d.user_id IN ($ids)"
)
PREFERENCES_RIDER = "notification_preferences"


@functools.cache
def preferences_sql(count: int) -> str:
    """The read of `count` accounts' preferences and devices (`preferences_params`)."""
    postgres = connection.vendor == "postgresql"
    return _PREFERENCES_SQL.substitute(
        array="json_build_array" if postgres else "json_array",
        text="::text" if postgres else "",
        columns=", ".join(f"p.{quote(name)}" for name in PREFERENCE_FIELDS),
        preference=quote(NotificationPreference._meta.db_table),
        device=quote(Device._meta.db_table),
        ids=", ".join(["%s"] * count),
    )


def preferences_params(user_ids: Sequence[Any]) -> list[Any]:
    pk = User._meta.pk
    assert pk is not None
    params = [pk.get_db_prep_value(user_id, connection) for user_id in user_ids]
    return params + params


def _preferences(recipients: Sequence[User]) -> tuple[dict[Any, NotificationPreference], set[Any]]:
    """Each recipient's preferences (the unsaved defaults for those who never set any) and the
    recipients with a push device: read with the booking's day statement when it carried them
    for these recipients (`core.riders`), else in one query."""
    ids = [user.pk for user in recipients]
    payloads = carried(PREFERENCES_RIDER, ids)
    if payloads is None:
        with connection.cursor() as cursor:
            cursor.execute(preferences_sql(len(ids)), preferences_params(ids))
            payloads = [payload for (payload,) in cursor.fetchall()]
    pk = User._meta.pk
    assert pk is not None
    found: dict[Any, dict[str, Any]] = {}
    with_device = set()
    for kind, user_id, *values in map(json.loads, payloads):
        if kind == 1:
            with_device.add(pk.to_python(user_id))
            continue
        choices = dict(zip(PREFERENCE_FIELDS, values, strict=True))
        found[pk.to_python(user_id)] = {
            name: value if name == "language" else bool(value) for name, value in choices.items()
        }
    preferences = {
        user.pk: NotificationPreference(user=user, **found.get(user.pk, {})) for user in recipients
    }
    return preferences, with_device


def _row(event: Event, *, channel: str, rendered: Any, now: dt.datetime) -> Notification:
    due = event.due_at or now
    status, sent_at = Status.QUEUED, None
    if event.skip_reason:
        status = Status.SKIPPED
    elif channel == Channel.INAPP and due <= now:
        status, sent_at = Status.SENT, now  # the inbox is the delivery
    return Notification(
        recipient=event.recipient,
        kind=event.kind,
        channel=channel,
        key=f"{event.key}:{channel}",
        subject=event.subject,
        status=status,
        due_at=due,
        valid_until=event.valid_until,
        last_error=event.skip_reason[:500],
        language=rendered.language,
        title=rendered.title[:200],
        body=rendered.body,
        variables=rendered.variables,
        data=event.data,
        sent_at=sent_at,
    )


def notify(event: Event) -> list[Notification]:
    """Write the event's notifications (one per channel the recipient wants) in the current
    transaction; those due now are sent once it commits. A replayed event writes nothing."""
    return notify_many([event])


def notify_many(events: Sequence[Event]) -> list[Notification]:
    """`notify` for several events of one transaction (a booking tells the patient, the
    doctor and schedules reminders) in three statements however many there are: the
    recipients' preferences, which of them have a device (only if any wants push), and one
    INSERT of every row (a replayed row is ignored by its unique key, as one by one)."""
    if not events:
        return []
    recipients = list({event.recipient.pk: event.recipient for event in events}.values())
    preferences, with_device = _preferences(recipients)
    now = timezone.now()
    rows: list[Notification] = []
    for event in events:
        preference = preferences[event.recipient.pk]
        opt_out = OPT_OUTS.get(event.kind)
        if opt_out and not getattr(preference, opt_out):
            continue
        language = language_for(preferred=preference.language, region=event.region)
        rendered = render(
            event.kind, language=language, zone=event.zone, values=event.values, when=event.when
        )
        has_device = event.recipient.pk in with_device
        rows += [
            _row(event, channel=channel, rendered=rendered, now=now)
            for channel in _channels(event=event, preference=preference, has_device=has_device)
        ]
    waiting = [row for row in rows if row.status == Status.QUEUED and row.due_at <= now]
    tasks = _tasks_with(waiting)
    _insert_new(rows, tasks)
    if tasks is not None:  # the send tasks are written with the rows: announced after commit
        transaction.on_commit(tasks.announce)
    elif waiting:
        # The ids are known once the rows are stored: at once, or when the batch a booking
        # writes them in is sent (`core.insert_batch`), before the commit either way.
        transaction.on_commit(lambda: _enqueue_stored(waiting))
    return rows


def _tasks_with(waiting: Sequence[Notification]) -> QueuedTasks | None:
    """In a booking's batch with django-tasks-db's backend, the send tasks of the rows due now
    go in the statement that stores the rows (`notifications.task_rows`), holding their ids:
    no INSERT after the commit. Seen by the worker only once the transaction commits, so each
    send still runs after the commit; a rolled-back booking leaves none."""
    from notifications.tasks import send_notification

    return queued_with(
        send_notification,
        model=Notification,
        matches=[row.key for row in waiting],
        kwarg="notification_id",
    )


def _insert_new(rows: Sequence[Notification], tasks: QueuedTasks | None = None) -> None:
    """INSERT the rows, ignoring those whose key is already stored (a replayed event), and set
    the primary key of each row stored: `bulk_create(ignore_conflicts=True)` returns none, so
    the ids of the rows to send had to be read again after the commit. Inside a booking's
    batch the INSERT is queued (`core.insert_batch`), sent with the booking's other rows."""
    meta = Notification._meta
    assert meta.pk is not None
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    by_key = {row.key: row for row in rows}

    def stored(found: list[tuple[Any, ...]]) -> None:
        for pk, key in found:
            by_key[key].pk = pk
            by_key[key]._state.adding = False
        if tasks is not None:
            tasks.stored([(pk, key) for pk, key in found if key in tasks.by_match])

    insert(
        Rows(
            Notification,
            fields,
            [prepared(row, fields) for row in rows],
            returning=[meta.pk, meta.get_field("key")],
            ignore_conflicts=True,
            then=stored,
            derived=tasks.derived if tasks is not None else None,
        )
    )


def _enqueue_stored(rows: Sequence[Notification]) -> None:
    """Enqueue the rows stored (a replayed one, ignored by its key, has no id)."""
    due = [row.pk for row in rows if row.pk]
    if due:
        enqueue(notification_ids=due)


def enqueue(*, notification_ids: Sequence[int]) -> None:
    """After the commit: one send task per notification id (the send re-checks, under its row
    lock, that the notification is still queued and due; the sweep sends any left over)."""
    from notifications.tasks import send_notification

    if enqueue_rows(send_notification, [{"notification_id": pk} for pk in notification_ids]):
        return  # django-tasks-db's rows, in one INSERT (`notifications.task_rows`)
    for notification_id in notification_ids:
        send_notification.enqueue(notification_id=notification_id)


def notifications_cancel(*, subject: str, kinds: Iterable[str], reason: str) -> int:
    """Cancel the subject's pending notifications of these kinds (a cancelled appointment's
    reminders); sent ones stay as they are."""
    return Notification.objects.filter(
        subject=subject, kind__in=list(kinds), status=Status.QUEUED
    ).update(status=Status.CANCELLED, last_error=reason[:500], updated_at=timezone.now())


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def _finish(notification: Notification, *, now: dt.datetime) -> None:
    """Deliver and record the outcome on the locked row."""
    if notification.valid_until is not None and now >= notification.valid_until:
        notification.status = Status.SKIPPED
        notification.last_error = "too late: past its useful time"
        return
    notification.attempts += 1
    try:
        message_id = deliver(notification)
    except NotDeliverable as exc:
        notification.status, notification.last_error = Status.SKIPPED, str(exc)[:500]
    except Exception as exc:  # a provider error, or a bug: retried later, never blocking the rest
        notification.last_error = (
            f"{type(exc).__name__}: {exc}"[:500]
            if not isinstance(exc, ChannelError)
            else str(exc)[:500]
        )
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = Status.FAILED
        else:
            notification.due_at = now + _backoff(notification.attempts)
        log = logger.warning if isinstance(exc, ChannelError) else logger.exception
        log("notification %s failed: %s", notification.pk, exc)
    else:
        notification.status, notification.sent_at = Status.SENT, now
        notification.provider_message_id = (message_id or "")[:200]
        notification.last_error = ""


SEND_FIELDS = [
    "status",
    "attempts",
    "due_at",
    "sent_at",
    "provider_message_id",
    "last_error",
    "updated_at",
]


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> str | None:
    """Send one due, queued notification; its status afterwards (None: not due, not queued,
    or being sent by another worker right now)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, status=Status.QUEUED, due_at__lte=now)
            .first()
        )
        if notification is None:
            return None
        _finish(notification, now=now)
        notification.save(update_fields=SEND_FIELDS)
    return notification.status


@dataclass
class SweepResult:
    due: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def _send_batch(*, after_id: int, size: int, now: dt.datetime) -> list[Notification]:
    """Claim up to `size` due rows no other worker holds (SKIP LOCKED), send each, and write
    every outcome in one UPDATE before the commit releases them. A crash mid-batch rolls the
    claim back, so its rows are sent again: at most one batch is ever repeated, and none lost."""
    with transaction.atomic():
        batch = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(status=Status.QUEUED, due_at__lte=now, pk__gt=after_id)
            .order_by("pk")[:size]
        )
        for notification in batch:
            _finish(notification, now=now)
            notification.updated_at = now
        _record_outcomes(batch)
    return batch


def _record_outcomes(batch: Sequence[Notification]) -> None:
    """One parametrised UPDATE per row, sent with executemany (psycopg pipelines it: one round
    trip per batch). Hand-written because `bulk_update` builds a CASE per field and row: it
    cost 13 ms of Python per message, 90% of the sweep; the column names come from the model."""
    if not batch:
        return
    meta = Notification._meta
    names = [str(getattr(meta.get_field(name), "column", name)) for name in SEND_FIELDS]
    columns = ", ".join(f"{quote(name)} = %s" for name in names)
    table, pk = quote(meta.db_table), quote(str(getattr(meta.pk, "column", "id")))
    sql = f"UPDATE {table} SET {columns} WHERE {pk} = %s"  # noqa: S608 (names from the model)
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        [
            notification.status,
            notification.attempts,
            adapt(notification.due_at),
            adapt(notification.sent_at),
            notification.provider_message_id,
            notification.last_error,
            adapt(notification.updated_at),
            notification.pk,
        ]
        for notification in batch
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def notifications_send_due(*, limit: int | None = None, dry_run: bool = False) -> SweepResult:
    """Send everything due and still queued, in id order and in batches of
    NOTIFICATION_SWEEP_BATCH_SIZE; safe from cron and from several workers at once (each row
    is sent by the worker that claims it)."""
    result = SweepResult()
    now = timezone.now()
    if dry_run:
        count = Notification.objects.filter(status=Status.QUEUED, due_at__lte=now).count()
        result.due = count if limit is None else min(count, limit)
        return result
    batch_size = settings.NOTIFICATION_SWEEP_BATCH_SIZE
    last_id = 0
    while limit is None or result.due < limit:
        size = batch_size if limit is None else min(batch_size, limit - result.due)
        batch = _send_batch(after_id=last_id, size=size, now=now)
        if not batch:
            break
        for notification in batch:
            result.outcomes[notification.status] = result.outcomes.get(notification.status, 0) + 1
        result.due += len(batch)
        last_id = batch[-1].pk
    return result


# --- the inbox, preferences and devices ---------------------------------------------------


def inbox_mark(*, notification: Notification, read: bool) -> Notification:
    notification.read_at = (notification.read_at or timezone.now()) if read else None
    notification.save(update_fields=["read_at", "updated_at"])
    return notification


def inbox_mark_all_read(*, user: User) -> int:
    from notifications.selectors import inbox_for

    now = timezone.now()
    return inbox_for(user=user, unread=True).update(read_at=now, updated_at=now)


def preference_update(*, user: User, data: dict[str, Any]) -> NotificationPreference:
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        for name, value in data.items():
            setattr(preference, name, value)
        preference.save()
    return preference


def device_register(*, user: User, token: str, platform: str) -> tuple[Device, bool]:
    """Register (or move to this user: a phone changes hands) a push token."""
    device, created = Device.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform}
    )
    return device, created


def device_remove(*, user: User, device_id: int | None = None, token: str = "") -> bool:
    rows = Device.objects.filter(user=user)
    rows = rows.filter(pk=device_id) if device_id is not None else rows.filter(token=token)
    deleted, _ = rows.delete()
    return bool(deleted)


# --- delivery reports ----------------------------------------------------------------------

FAILED_REPORTS = frozenset({"failed", "undelivered", "rejected", "expired"})


@dataclass(frozen=True)
class DeliveryUpdate:
    message_id: str
    status: str
    error: str = ""


def delivery_status_record(*, channel: str, updates: Iterable[DeliveryUpdate]) -> int:
    """Record each provider report on the notification it names (by provider message id):
    a failure marks it failed with the provider's reason; anything else is kept as reported."""
    updated = 0
    for update in updates:
        if not update.message_id:
            continue
        rows = Notification.objects.filter(channel=channel, provider_message_id=update.message_id)
        changes: dict[str, Any] = {
            "provider_status": update.status[:30],
            "updated_at": timezone.now(),
        }
        if update.status in FAILED_REPORTS:
            changes.update(status=Status.FAILED, last_error=(update.error or update.status)[:500])
        updated += rows.update(**changes)
    return updated
