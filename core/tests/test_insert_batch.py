"""`core.insert_batch`: queued INSERTs go in one statement, and nothing observable changes."""

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment, AppointmentStatusChange
from core.insert_batch import Derived, Rows, batched, insert, prepared, queuing
from notifications.models import Notification

pytestmark = pytest.mark.django_db
FIELDS = [field for field in Notification._meta.concrete_fields if not field.primary_key]
PK, KEY = Notification._meta.pk, Notification._meta.get_field("key")


def _rows(user, *keys, ignore_conflicts=False, found=None):
    notes = [
        Notification(recipient=user, kind="appointment_booked", channel="inapp", key=key)
        for key in keys
    ]

    def then(rows):
        if found is not None:
            found.extend(rows)

    values = [prepared(note, FIELDS) for note in notes]
    return Rows(Notification, FIELDS, values, [PK, KEY], ignore_conflicts, then)


def _inserts(captured):
    return [query["sql"] for query in captured if "INSERT INTO" in query["sql"]]


def _stored(*keys):
    return set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))


def test_outside_a_batch_rows_are_stored_at_once_with_their_returning_values(patient):
    found = []
    with transaction.atomic():
        insert(_rows(patient, "a", "b", found=found))
        assert _stored("a", "b") == {"a", "b"}
    ids = dict(Notification.objects.values_list("key", "pk"))
    assert sorted(found) == sorted((ids[key], key) for key in ("a", "b"))


def test_a_replayed_row_is_ignored_and_returns_nothing(patient):
    insert(_rows(patient, "a"))
    found = []
    insert(_rows(patient, "a", "b", ignore_conflicts=True, found=found))
    assert [key for _, key in found] == ["b"]


@pytest.mark.postgres
def test_a_batch_sends_its_inserts_in_one_statement_at_its_end(patient):
    first, second = [], []
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        with batched():
            insert(_rows(patient, "a", found=first))
            insert(_rows(patient, "b", "c", found=second))
            assert not first
            assert _inserts(captured) == []
        assert len(_inserts(captured)) == 1
    ids = dict(Notification.objects.values_list("key", "pk"))
    assert first == [(ids["a"], "a")]
    assert sorted(second) == [(ids["b"], "b"), (ids["c"], "c")]


@pytest.mark.postgres
def test_a_read_of_a_queued_table_sees_the_queued_rows(patient):
    with transaction.atomic(), batched():
        insert(_rows(patient, "a"))
        assert _stored("a") == {"a"}


@pytest.mark.postgres
def test_a_read_of_other_tables_leaves_the_queue_alone(patient):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, batched():
        insert(_rows(patient, "a"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM users_user WHERE id = %s", [patient.pk.hex])
        assert _inserts(captured) == []
    assert _stored("a") == {"a"}


@pytest.mark.postgres
def test_a_write_is_preceded_by_the_queue(patient):
    with transaction.atomic(), batched():
        insert(_rows(patient, "a"))
        Notification.objects.filter(key="a").update(subject="seen")  # sends the queue first
    assert Notification.objects.get(key="a").subject == "seen"


@pytest.mark.postgres
def test_a_savepoint_rolled_back_inside_keeps_the_rows_queued_before_it(patient):
    with transaction.atomic(), batched():
        insert(_rows(patient, "a"))
        try:
            with transaction.atomic():  # its SAVEPOINT sends "a" first
                insert(_rows(patient, "b"))  # inside the savepoint: sent at once
                raise RuntimeError
        except RuntimeError:
            pass
        insert(_rows(patient, "c"))
    assert _stored("a", "b", "c") == {"a", "c"}


@pytest.mark.postgres
def test_a_lost_unique_key_is_the_same_integrity_error_when_the_batch_is_sent(patient):
    insert(_rows(patient, "a"))

    def book_twice():
        with transaction.atomic(), batched():
            insert(_rows(patient, "b"))
            insert(_rows(patient, "a"))

    with pytest.raises(IntegrityError):
        book_twice()
    assert _stored("b") == set()


@pytest.mark.postgres
def test_a_block_left_by_an_error_stores_nothing(patient):
    def fail():
        with transaction.atomic(), batched():
            insert(_rows(patient, "a"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert _stored("a") == set()
    with transaction.atomic(), batched():  # the connection is left without a batch
        insert(_rows(patient, "b"))
    assert _stored("b") == {"b"}


@pytest.mark.postgres
def test_a_queue_past_the_parameter_bound_is_sent_in_parts(patient, monkeypatch):
    monkeypatch.setattr("core.insert_batch.MAX_QUEUED_PARAMS", len(FIELDS) * 3)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, batched():
        insert(_rows(patient, "a", "b"))
        insert(_rows(patient, "c", "d"))  # would pass the bound: "a", "b" go first
        insert(_rows(patient, "e", "f", "g", "h"))  # alone past it: sent at once, in parts
    assert _stored(*"abcdefgh") == set("abcdefgh")
    assert len(_inserts(captured)) == 4


def _all_fields(model):
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def _without(row, *names):
    return {name: value for name, value in row.items() if name not in names}


@pytest.mark.parametrize("batch", [True, False], ids=["queued", "at once"])
def test_each_booking_table_is_stored_as_the_orm_stores_it(batch, patient):
    """The rows of a booking (appointment, history, outbox, audit event) read back through the
    ORM equal the same instances saved by the ORM, column by column (on PostgreSQL through the
    JSON recordset, `_json`)."""
    from appointments.tests.factories import AppointmentFactory, AppointmentStatusChangeFactory
    from audit.models import AuditEvent

    when = dt.datetime(2026, 3, 2, 2, 30, 15, 123456, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        notes = "Fever 'high'\n\"ok\" é \\ \t \u2028 \U0001f600"  # what JSON escapes
        appointment = AppointmentFactory(fee_charged="512.50", notes=notes)
        change = AppointmentStatusChangeFactory(appointment=appointment, reason="r\u00e9")
        note = Notification.objects.create(
            recipient=patient,
            kind="appointment_reminder",
            channel="sms",
            key="k",
            subject="appointment:1",
            due_at=dt.datetime(2026, 3, 8, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata")),
            valid_until=None,
            title="Reminder",
            body='Dr. "A" at 09:30',
            variables={"doctor": "Dr. Ä", "n": [1, None, True]},
            data={"appointment_id": 7},
        )
        event = AuditEvent(
            patient_id=patient.pk,
            seq=1,
            occurred_at=when,
            category="appointment",
            action="status_changed",
            actor_id=patient.pk,
            ip_address="10.0.0.1",
            data={"appointment": 7, "clinic": str(appointment.clinic_id), "nothing": None},
            body="{}",
            prev_hash="0" * 64,
            hash="f" * 64,
        )
        event.save()
        by_orm = {
            "appointment": _row(Appointment, appointment.pk),
            "change": _row(AppointmentStatusChange, change.pk),
            "note": _without(_row(Notification, note.pk), "id"),
            "event": _without(_row(AuditEvent, event.pk), "id", "seq"),
        }
        AppointmentStatusChange.objects.filter(pk=change.pk).delete()
        Appointment.objects.filter(pk=appointment.pk).delete()
        Notification.objects.filter(pk=note.pk).delete()
        event.pk, event.seq, event._state.adding = None, 2, True
        found: dict[str, list] = {}
        stored = [
            (Appointment, appointment, list(Appointment._meta.concrete_fields), "appointment"),
            (
                AppointmentStatusChange,
                change,
                list(AppointmentStatusChange._meta.concrete_fields),
                "change",
            ),
            (Notification, note, _all_fields(Notification), "note"),
            (AuditEvent, event, _all_fields(AuditEvent), "event"),
        ]
        with transaction.atomic(), batched() if batch else contextlib.nullcontext():
            for model, instance, fields, name in stored:
                insert(
                    Rows(
                        model,
                        fields,
                        [prepared(instance, fields)],
                        [model._meta.pk],
                        then=lambda rows, name=name: found.setdefault(name, rows),
                    )
                )
    assert _row(Appointment, appointment.pk) == by_orm["appointment"]
    assert _row(AppointmentStatusChange, change.pk) == by_orm["change"]
    assert _without(_row(Notification, found["note"][0][0]), "id") == by_orm["note"]
    event_row = _row(AuditEvent, found["event"][0][0])
    assert _without(event_row, "id", "seq") == by_orm["event"]
    assert found["appointment"] == [(appointment.pk,)]


def _derived(user, parent_keys, derived_keys):
    """Rows of the parent's notifications, each with a derived in-app copy whose `subject`
    is the id its parent was stored under."""
    rows = _rows(user, *parent_keys, ignore_conflicts=True)
    copies = [
        Notification(recipient=user, kind="appointment_booked", channel="sms", key=f"{key}:copy")
        for key in derived_keys
    ]
    subject = Notification._meta.get_field("subject")
    expression = 'CAST({parent}."id" AS text)'
    rows.derived = Derived(
        Notification,
        FIELDS,
        [prepared(copy, FIELDS) for copy in copies],
        list(derived_keys),
        KEY,
        subject,
        expression,
    )
    return rows


@pytest.mark.postgres
def test_derived_rows_go_in_the_parents_statement_holding_its_ids(patient):
    insert(_rows(patient, "old"))
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, batched():
        assert queuing()
        insert(_derived(patient, ["old", "new"], ["old", "new"]))
        assert _inserts(captured) == []
        # a read of the derived rows' table sends the queue first
        copies = dict(
            Notification.objects.filter(key__endswith=":copy").values_list("key", "subject")
        )
    assert len(_inserts(captured)) == 1
    new = Notification.objects.get(key="new").pk
    assert copies == {"new:copy": str(new)}  # "old" was refused by its key: no copy


def test_derived_rows_exist_only_where_rows_are_queued(patient):
    assert not queuing()
    with pytest.raises(AssertionError):
        insert(_derived(patient, ["a"], ["a"]))
    with transaction.atomic(), batched():
        assert queuing() is (connection.vendor == "postgresql")
        with transaction.atomic():
            assert not queuing()  # a savepoint inside the block: sent at once


def test_prepared_values_are_get_db_prep_saves_for_plain_text_too(patient):
    """The plain text shortcut of `prepared` gives what each field's own preparation gives,
    also for what it leaves to the field (a lazy string, a str subclass, a non-str value)."""
    from django.utils.functional import lazy

    from core.insert_batch import _PLAIN_TEXT

    lazy_text = lazy(lambda: "lazy title", str)()
    notes = [
        Notification(recipient=patient, kind="appointment_booked", channel="inapp", key="k1"),
        Notification(recipient=patient, kind="appointment_booked", key="k2", title=lazy_text),
        Notification(recipient=patient, kind="appointment_booked", key="k3", body=None),
    ]
    assert any(type(field) in _PLAIN_TEXT for field in FIELDS)  # the shortcut is taken
    for note in notes:
        expected = [
            field.get_db_prep_save(field.pre_save(note, True), connection) for field in FIELDS
        ]
        got = prepared(note, FIELDS)
        for field, mine, theirs in zip(FIELDS, got, expected, strict=True):
            if field.attname in ("created_at", "updated_at"):  # auto_now: the clock moved
                continue
            assert type(mine) is type(theirs), field.attname
            assert mine == theirs or str(mine) == str(theirs), field.attname
    assert (
        prepared(notes[1], FIELDS)[FIELDS.index(Notification._meta.get_field("title"))]
        == "lazy title"
    )
