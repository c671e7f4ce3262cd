"""The front desk's read of a doctor's day: the whole queue, its scope, rows and durations
taken from the cache (core.response_cache.cached_value) under the versions every write to
them bumps, and the board (order, ETAs, lateness) computed from them and the clock at every
read, so nothing the clock moves is ever stored (appointments/queue/selectors.py).

A read of a named date is answered again before the framework (`core.computed_routes`): the
view offers the route `COMPUTER` with the inputs' key and versions (`offer_route`), and the
fast path calls `computed_body` with the same cached inputs. One `board_of` serves both."""

import datetime as dt
from dataclasses import replace
from typing import Any

from django.utils import timezone

from appointments.queue.payloads import queue_json
from appointments.queue.selectors import (
    STAFF_EXTRA,
    ClinicScope,
    QueueDay,
    day_of,
    day_rows,
    doctor_membership_for_front_desk,
    median_at,
    queue_day,
    queue_entries,
    recent_spans,
)
from clinic.models import ClinicMember
from clinic.rules import clinic_today
from core import computed_routes
from core.cached_responses import AUTH_VERSION_ATTR
from core.response_cache import (
    Namespace,
    cached_value,
    doctor_day_key,
    doctor_records_key,
    value_key,
)

COMPUTER = "appointments.queue.desk"
_INPUTS = "queue-desk-day"
Inputs = tuple[tuple[Any, str, bool], list[dict[str, Any]], list[Any]]


def _front_desk_membership(*, user: Any, doctor_id: int) -> ClinicMember:
    """`doctor_membership_for_front_desk`, kept under the directory's version (memberships,
    clinics and their owners) and the caller's authentication version (its role), when the
    request recorded one (users.authentication)."""
    version = getattr(user, AUTH_VERSION_ATTR, None)
    if version is None:
        return doctor_membership_for_front_desk(user=user, doctor_id=doctor_id)
    return cached_value(
        "queue-desk",
        [user.pk, version, doctor_id],
        [Namespace.DIRECTORY],
        lambda: doctor_membership_for_front_desk(user=user, doctor_id=doctor_id),
    )


def staff_queue(*, user: Any, doctor_id: int, date: dt.date | None) -> QueueDay:
    """The whole queue of the doctor's day for the front desk (three statements, none when
    nothing changed since the last read: module docstring)."""
    version = getattr(user, AUTH_VERSION_ATTR, None)
    if version is None or date is None:
        return _staff_queue(user=user, doctor_id=doctor_id, date=date)
    now = timezone.now()
    day: dt.date = date

    def read() -> Inputs:
        membership = doctor_membership_for_front_desk(user=user, doctor_id=doctor_id)
        clinic = membership.clinic
        rows = day_rows(doctor_id=doctor_id, clinic_id=clinic.pk, date=day, extra=STAFF_EXTRA)
        # Plain values, not the membership's model instances: unpickling those was a tenth
        # of the read's CPU.
        scope = (clinic.pk, clinic.timezone, membership.user.doctor_profile.allow_overbooking)
        return scope, list(rows), recent_spans(doctor_id, now)

    # The scope, the rows and the spans in one round trip (a named date: the common read).
    parts, keys = _inputs(user.pk, version, doctor_id, day)
    return board_of(cached_value(_INPUTS, parts, keys, read), doctor_id, day, now)


def _inputs(
    user_id: Any, version: str, doctor_id: int, day: dt.date
) -> tuple[list[Any], list[str]]:
    """The inputs' cache parts (the caller and its authentication version: the scope is
    theirs) and the versions they are kept under."""
    keys = [
        Namespace.DIRECTORY,
        doctor_day_key(doctor_id, day),
        doctor_records_key(doctor_id),
        Namespace.PEOPLE,
        Namespace.RECORDS,
    ]
    return [user_id, version, doctor_id, day], keys


def board_of(inputs: Inputs, doctor_id: int, day: dt.date, now: dt.datetime) -> QueueDay:
    """The queue of the day at `now`, from the cached inputs."""
    (clinic_id, zone, allow_overbooking), rows, spans = inputs
    clinic = ClinicScope(pk=clinic_id, timezone=zone)  # what the board and the body read
    queue = day_of(clinic, doctor_id, day, rows, median_at(spans, now), now=now)
    return replace(queue, allow_overbooking=allow_overbooking)


def offer_route(request: Any, view: Any, *, doctor_id: int, date: dt.date | None) -> None:
    """After a 200 of `staff_queue` for a named date: the next equal request may be computed
    before the framework, from the same inputs (core.computed_routes says when)."""
    version = getattr(request.user, AUTH_VERSION_ATTR, None)
    if version is None or date is None:
        return
    parts, keys = _inputs(request.user.pk, version, doctor_id, date)
    computed_routes.offer(
        request, view, COMPUTER, value_key(_INPUTS, parts), tuple(keys), (doctor_id, date)
    )


def computed_body(inputs: Any, args: tuple[Any, ...]) -> dict[str, Any]:
    """The view's body from the cached inputs, now (the fast path's computer: COMPUTER)."""
    doctor_id, day = args
    return queue_json(queue_body(board_of(inputs, doctor_id, day, timezone.now())))


def _staff_queue(*, user: Any, doctor_id: int, date: dt.date | None) -> QueueDay:
    membership = _front_desk_membership(user=user, doctor_id=doctor_id)
    clinic = membership.clinic
    day = queue_day(
        clinic=clinic,
        doctor_id=doctor_id,
        date=date or clinic_today(clinic),
        extra=STAFF_EXTRA,
        cached=True,
    )
    return replace(day, allow_overbooking=membership.user.doctor_profile.allow_overbooking)


def queue_body(day: QueueDay) -> dict[str, Any]:
    """The desk's whole queue (`QueueOutputSerializer`'s input; payloads.queue_json)."""
    board = day.board
    return {
        "doctor": day.doctor_id,
        "clinic": day.clinic.pk,
        "date": day.date,
        "allow_overbooking": day.allow_overbooking,
        "consultation_minutes": round(board.consultation.total_seconds() / 60, 1),
        "doctor_running_late_minutes": board.running_late_minutes,
        "now_serving": board.now_serving,
        "waiting": sum(1 for entry in board.line if entry.queue_state == "waiting"),
        "entries": queue_entries(day),
    }
