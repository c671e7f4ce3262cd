"""Reads of the queue, each scoped to the caller and in at most three statements: the scope
(the appointment, or the doctor's membership, with the clinic), the day's rows, and the
doctor's consultation durations of the last 30 days (for the median).

The desk's and the patient's reads (`desk.staff_queue`, `patient_position`) take the day's rows,
the durations and the desk's scope from the cache (core.response_cache.cached_value) under
the versions every write to them bumps: the doctor's date (any appointment save), the
doctor's records, the people shown, the directory (memberships). The board itself (order,
ETAs, lateness) is computed from them and the clock at every read, so nothing the clock
moves is ever stored. The queue's writes (check-in, call, finish) read the database, under
their locks."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from appointments.models import Appointment
from appointments.queue.board import Board, Entry, build_board, median_duration
from appointments.queue.policies import front_desk_q
from clinic.models import Clinic, ClinicMember
from clinic.selectors import doctor_active_memberships
from core.exceptions import NotFound
from core.response_cache import Namespace, cached_value, doctor_day_key, doctor_records_key
from users.models import PatientProfile
from users.selectors import profiles_of_contact

MEDIAN_WINDOW = dt.timedelta(days=30)
ENTRY_FIELDS = (
    "id",
    "token",
    "status",
    "queue_state",
    "appointment_date",
    "appointment_time",
    "queue_due_at",
    "called_at",
    "started_at",
)


class ClinicPlace(Protocol):
    """What a queue's board and body read of its clinic: a Clinic, or its cached scope."""

    @property
    def pk(self) -> Any: ...

    @property
    def timezone(self) -> str: ...


@dataclass(frozen=True)
class ClinicScope:
    """A clinic as the desk's cached inputs keep it (a model instance cost a tenth of the
    computed queue's CPU to build)."""

    pk: Any
    timezone: str


@dataclass(frozen=True)
class QueueDay:
    clinic: ClinicPlace
    doctor_id: int
    date: dt.date
    board: Board
    rows: list[dict[str, Any]]
    allow_overbooking: bool = False


Span = tuple[dt.datetime, dt.timedelta]  # (finished at, started -> finished)


def spans_by_doctor(*, doctor_ids: Iterable[int], now: dt.datetime) -> dict[int, list[Span]]:
    """Each doctor's consultations of the 30 days before `now`, at any clinic (one statement:
    the window's one reading)."""
    spans: dict[int, list[Span]] = {pk: [] for pk in doctor_ids}
    rows = Appointment.objects.filter(
        doctor_id__in=list(spans),
        finished_at__gte=now - MEDIAN_WINDOW,
        started_at__isnull=False,
    ).values_list("doctor_id", "started_at", "finished_at")
    for doctor_id, started, finished in rows:
        if started is not None and finished is not None:  # filtered; narrowed for the types
            spans[doctor_id].append((finished, finished - started))
    return spans


def consultation_medians(*, doctor_ids: Iterable[int], now: dt.datetime) -> dict[int, dt.timedelta]:
    """Each doctor's median consultation (started -> finished) of the last 30 days, at any
    clinic; QUEUE_DEFAULT_CONSULTATION_MINUTES until there is one. One statement."""
    found = spans_by_doctor(doctor_ids=doctor_ids, now=now)
    return {pk: median_at(spans, now) for pk, spans in found.items()}


def consultation_median(*, doctor_id: int, now: dt.datetime) -> dt.timedelta:
    return consultation_medians(doctor_ids=[doctor_id], now=now)[doctor_id]


def recent_spans(doctor_id: int, now: dt.datetime) -> list[Span]:
    return spans_by_doctor(doctor_ids=[doctor_id], now=now)[doctor_id]


def median_at(spans: list[Span], now: dt.datetime) -> dt.timedelta:
    """The median of the spans that finished in the 30 days before `now`. Spans read with
    the window of an earlier moment are a superset of the window of any later `now`, so
    filtering kept spans here is exact."""
    start = now - MEDIAN_WINDOW
    default = dt.timedelta(minutes=settings.QUEUE_DEFAULT_CONSULTATION_MINUTES)
    return median_duration((span for finished, span in spans if finished >= start), default=default)


def entry_from(row: dict[str, Any], *, zone: str) -> Entry:
    return Entry(
        id=row["id"],
        token=row["token"],
        status=row["status"],
        queue_state=row["queue_state"],
        starts_at=dt.datetime.combine(
            row["appointment_date"], row["appointment_time"], tzinfo=ZoneInfo(zone)
        ),
        due_at=row["queue_due_at"],
        called_at=row["called_at"],
        started_at=row["started_at"],
    )


def day_rows(
    *, doctor_id: int, clinic_id: Any, date: dt.date, extra: tuple[str, ...] = ()
) -> QuerySet[Appointment, dict[str, Any]]:
    return (
        Appointment.objects.filter(doctor_id=doctor_id, clinic_id=clinic_id, appointment_date=date)
        .order_by("appointment_time", "id")
        .values(*ENTRY_FIELDS, *extra)
    )


def queue_day(
    *,
    clinic: Clinic,
    doctor_id: int,
    date: dt.date,
    now: dt.datetime | None = None,
    projected: int | None = None,
    extra: tuple[str, ...] = (),
    cached: bool = False,
) -> QueueDay:
    """The doctor's day at the clinic as a board (two statements: rows and durations).
    `cached`: rows and durations from the cache (reads only; see the module docstring)."""
    now = now or timezone.now()

    def read() -> list[dict[str, Any]]:
        return list(day_rows(doctor_id=doctor_id, clinic_id=clinic.pk, date=date, extra=extra))

    if cached:  # the day's rows and the doctor's recent spans, in one round trip
        keys = [
            doctor_day_key(doctor_id, date),
            doctor_records_key(doctor_id),
            Namespace.PEOPLE,
            Namespace.RECORDS,
        ]
        rows, spans = cached_value(
            "queue-day",
            [doctor_id, clinic.pk, date, extra],
            keys,
            lambda: (read(), recent_spans(doctor_id, now)),
        )
        consultation = median_at(spans, now)
    else:
        rows = read()
        consultation = consultation_median(doctor_id=doctor_id, now=now)
    return day_of(clinic, doctor_id, date, rows, consultation, now=now, projected=projected)


def day_of(
    clinic: ClinicPlace,
    doctor_id: int,
    date: dt.date,
    rows: list[dict[str, Any]],
    consultation: dt.timedelta,
    *,
    now: dt.datetime,
    projected: int | None = None,
) -> QueueDay:
    board = build_board(
        (entry_from(row, zone=clinic.timezone) for row in rows),
        now=now,
        consultation=consultation,
        projected=projected,
    )
    return QueueDay(clinic=clinic, doctor_id=doctor_id, date=date, board=board, rows=rows)


def doctor_membership_for_front_desk(*, user: Any, doctor_id: int) -> ClinicMember:
    """The doctor's active membership (with clinic and profile) if `user` runs that clinic's
    queue (owner, receptionist, the doctor); else 404. One statement."""
    membership = (
        doctor_active_memberships()
        .filter(user__doctor_profile__id=doctor_id)
        .filter(front_desk_q(user, clinic="clinic", doctor_user="user"))
        .select_related("clinic", "user__doctor_profile")
        .first()
    )
    if membership is None:
        raise NotFound("Doctor not found.")
    return membership


def walk_in_profiles(*, user: Any, doctor_id: int, contact: str) -> list[PatientProfile]:
    """The people the account on `contact` holds, for the desk of the doctor's clinic to pick
    a walk-in from (404 for anyone who does not run that queue, as the walk-in itself). Two
    statements: the desk's scope and the profiles."""
    doctor_membership_for_front_desk(user=user, doctor_id=doctor_id)
    return list(profiles_of_contact(contact=contact))


def appointment_for_front_desk(*, user: Any, appointment_id: int) -> Appointment:
    """An appointment of a clinic whose queue `user` runs (owner, receptionist, the doctor)."""
    found = (
        Appointment.objects.filter(pk=appointment_id)
        .filter(front_desk_q(user, clinic="clinic", doctor_user="doctor__user"))
        .select_related("clinic", "doctor__user", "patient")
        .first()
    )
    if found is None:
        raise NotFound("Appointment not found.")
    return found


def appointment_for_patient_queue(*, patient: Any, appointment_id: int) -> Appointment:
    found = (
        Appointment.objects.filter(pk=appointment_id, patient=patient)
        .select_related("clinic")
        .first()
    )
    if found is None:
        raise NotFound("Appointment not found.")
    return found


STAFF_EXTRA = (
    "source",
    "overbooked",
    "arrived_at",
    "finished_at",
    "patient_id",
    "patient_profile_id",
    "patient_profile__name",
)


def queue_entries(day: QueueDay) -> list[dict[str, Any]]:
    """Every appointment of the day (rows read with STAFF_EXTRA): the one being seen first,
    then the line in order, then everyone else by time."""
    board = day.board
    rank: dict[int, int] = {entry.id: index + 1 for index, entry in enumerate(board.line)}
    if board.serving is not None:
        rank[board.serving.id] = 0

    def order(row: dict[str, Any]) -> tuple[int, Any, int]:
        return (rank.get(row["id"], len(rank) + 1), row["appointment_time"], row["id"])

    return [
        {
            "appointment": row["id"],
            "token": row["token"],
            "queue_state": row["queue_state"],
            "status": row["status"],
            "source": row["source"],
            "overbooked": row["overbooked"],
            # The person being seen (a dependent's name, not the holder's), as the doctor's
            # lists show it; `id` stays the holder account (whose number the desk calls).
            "patient": {"id": row["patient_id"], "name": row["patient_profile__name"]},
            "patient_profile": {
                "id": row["patient_profile_id"],
                "name": row["patient_profile__name"],
            },
            "appointment_time": row["appointment_time"].strftime("%H:%M"),
            "position": rank.get(row["id"]),
            "eta": board.etas.get(row["id"]),
            "arrived_at": row["arrived_at"],
            "called_at": row["called_at"],
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
        }
        for row in sorted(day.rows, key=order)
    ]


def patient_position(*, patient: Any, appointment_id: int) -> dict[str, Any]:
    """The patient's own place in their appointment's queue (three statements)."""
    appointment = appointment_for_patient_queue(patient=patient, appointment_id=appointment_id)
    day = queue_day(
        clinic=appointment.clinic,
        doctor_id=appointment.doctor_id,
        date=appointment.appointment_date,
        projected=appointment.pk,
        cached=True,
    )
    board = day.board
    mine = next(row for row in day.rows if row["id"] == appointment.pk)
    serving = board.serving is not None and board.serving.id == appointment.pk
    position = 0 if serving else board.position(appointment.pk)
    return {
        "appointment": appointment.pk,
        "token": mine["token"],
        "queue_state": mine["queue_state"],
        "position": position,
        "ahead": None if position is None else max(0, position - 1),
        "eta": board.etas.get(appointment.pk),
        "doctor_running_late_minutes": board.running_late_minutes,
        "now_serving": board.now_serving,
    }


def clinic_queue_summary(*, clinic: Clinic, date: dt.date) -> list[dict[str, Any]]:
    """Per doctor with appointments at the clinic that day: tokens issued, waiting, served,
    the median wait (arrival to call, minutes) and how late they run. Two statements."""
    now = timezone.now()
    rows = list(
        Appointment.objects.filter(clinic=clinic, appointment_date=date)
        .order_by("doctor_id", "appointment_time", "id")
        .values(*ENTRY_FIELDS, "doctor_id", "doctor__user__name", "arrived_at")
    )
    by_doctor: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_doctor[row["doctor_id"]].append(row)
    medians = consultation_medians(doctor_ids=by_doctor, now=now)
    summary = []
    for doctor_id, mine in by_doctor.items():
        board = build_board(
            (entry_from(row, zone=clinic.timezone) for row in mine),
            now=now,
            consultation=medians[doctor_id],
        )
        waits = [
            row["called_at"] - row["arrived_at"]
            for row in mine
            if row["called_at"] is not None and row["arrived_at"] is not None
        ]
        median_wait = median_duration(waits, default=dt.timedelta(-1))
        summary.append(
            {
                "doctor_id": doctor_id,
                "doctor_name": mine[0]["doctor__user__name"],
                "tokens_issued": sum(1 for row in mine if row["token"] is not None),
                "waiting": sum(1 for entry in board.line if entry.queue_state == "waiting"),
                "served": sum(1 for row in mine if row["queue_state"] == "done"),
                "median_wait_minutes": (
                    round(median_wait.total_seconds() / 60, 1) if waits else None
                ),
                "running_late_minutes": board.running_late_minutes,
            }
        )
    return sorted(summary, key=lambda item: (item["doctor_name"], item["doctor_id"]))


def entry_of(appointment: Appointment) -> dict[str, Any]:
    """The queue entry of an appointment the caller may see (two statements)."""
    day = queue_day(
        clinic=appointment.clinic,
        doctor_id=appointment.doctor_id,
        date=appointment.appointment_date,
        extra=STAFF_EXTRA,
    )
    return next(entry for entry in queue_entries(day) if entry["appointment"] == appointment.pk)


def front_desk_entry(*, user: Any, appointment_id: int) -> dict[str, Any]:
    """One appointment's entry for the front desk of its clinic (three statements)."""
    return entry_of(appointment_for_front_desk(user=user, appointment_id=appointment_id))
