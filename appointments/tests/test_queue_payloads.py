"""The desk's queue built as plain dicts (`appointments/queue/payloads.py`) answers the same
JSON bytes as `QueueOutputSerializer`, which stays the schema and the reference: for a day
with every queue state, walk-ins with and without tokens, an overbooked one, a dependent,
non-ASCII names, timestamps with microseconds in two zones, at several moments of the day."""

import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import Appointment
from appointments.queue import desk
from appointments.queue.payloads import queue_json
from appointments.queue.serializers import QueueOutputSerializer
from appointments.tests.queue_helpers import OPD_NOW, QUEUE_URL, booked
from core.renderers import FastJSONRenderer
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db
NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
STATES = ["expected", "waiting", "called", "in_consultation", "done", "skipped", "waiting"]


@pytest.fixture
def day(clock, monday_window, doctor_profile, clinic, patient):
    clock.move_to(OPD_NOW)
    patient.name = "राहुल शर्मा"
    patient.save()
    child = dependent_of(patient, name="आरव “Jr.”", date_of_birth=dt.date(2019, 5, 1))
    base = dt.datetime(2026, 3, 2, 4, 0, 1, 234567, tzinfo=dt.UTC)
    for index, state in enumerate(STATES):
        made = booked(doctor_profile, clinic, hour=9 + index // 4, minute=15 * (index % 4))
        changes = {
            "queue_state": state,
            "token": None if state == "expected" else index + 1,
            "source": "walk_in" if index % 2 else "app",
            "overbooked": index == 6,
            "patient": patient,
            "patient_profile": child if index % 3 == 0 else None,
        }
        if state != "expected":
            changes["arrived_at"] = (base + dt.timedelta(minutes=index)).astimezone(NEW_YORK)
            changes["queue_due_at"] = base + dt.timedelta(minutes=index)
        if state in {"called", "in_consultation", "done"}:
            changes["called_at"] = base + dt.timedelta(minutes=10 + index)
        if state in {"in_consultation", "done"}:
            changes["started_at"] = base + dt.timedelta(minutes=11 + index, seconds=7)
        if state == "done":
            changes["finished_at"] = base.replace(microsecond=0) + dt.timedelta(minutes=30)
        Appointment.objects.filter(pk=made.pk).update(
            **{key: value for key, value in changes.items() if value is not None}
        )
    return doctor_profile


def _render(data) -> bytes:
    with timezone.override(dt.UTC):  # as core.api_timezone does for every API response
        return FastJSONRenderer().render(data)


@pytest.mark.parametrize("minutes", [0, 7, 95])
def test_the_queue_matches_its_serializer(day, clock, receptionist, minutes):
    clock.move_to(OPD_NOW + dt.timedelta(minutes=minutes))
    queue = desk.staff_queue(user=receptionist, doctor_id=day.pk, date=None)
    body = desk.queue_body(queue)
    with timezone.override(dt.UTC):
        expected = _render(QueueOutputSerializer(body).data)
        assert _render(queue_json(body)) == expected
    entries = body["entries"]
    assert {entry["queue_state"] for entry in entries} == set(STATES)
    assert any(entry["token"] is None for entry in entries)
    assert any(entry["eta"] is not None for entry in entries)


def test_the_endpoint_answers_the_serializers_bytes(day, clock, client_for, receptionist):
    response = client_for(receptionist).get(QUEUE_URL, {"doctor": day.pk})
    assert response.status_code == 200
    queue = desk.staff_queue(user=receptionist, doctor_id=day.pk, date=None)
    with timezone.override(dt.UTC):
        expected = _render(QueueOutputSerializer(desk.queue_body(queue)).data)
    assert response.content == expected
