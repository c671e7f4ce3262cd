"""The queue's writes: check-in, the doctor's calls, skipping, each in one transaction (walk-ins,
which book through the same locks, are in `queue.walk_ins`).

Every write to a doctor's queue first locks the doctor's profile row, the lock booking takes:
so a token (max + 1 for the doctor, clinic and day) is read and written by one transaction at
a time on PostgreSQL, and the `queue_token_unique` constraint holds whatever is left. Status
changes (check-in confirms, finishing completes) go through `appointment_transition`, the
booking rules' table, with its history row. After each event, inside its transaction, the
ETAs of the day are recomputed and a move of more than QUEUE_ETA_NOTIFY_MINUTES is announced
(`queue_eta_moved`); see `refresh_etas`.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentSource,
    AppointmentStatus,
    QueueState,
)
from appointments.queue.selectors import (
    appointment_for_front_desk,
    queue_day,
)
from appointments.services import appointment_transition
from appointments.signals import queue_eta_moved
from clinic.models import Clinic
from clinic.rules import clinic_today
from clinic.selectors import doctor_active_membership
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, NotFound, QuickCareError
from doctors.models import DoctorProfile
from users.models import User

S = AppointmentStatus
Q = QueueState


@dataclass(frozen=True)
class NextCall:
    called: Appointment | None
    previous: Appointment | None  # the one the call moved on from (finished or skipped)


def _lock_doctor(doctor_id: int) -> DoctorProfile:
    return DoctorProfile.objects.select_for_update(of=("self",)).get(pk=doctor_id)


def _lock(appointment_id: int, *, clinic: Clinic) -> Appointment:
    locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment_id)
    locked.clinic = clinic
    return locked


@contextmanager
def _queue_event(found: Appointment, *, now: dt.datetime) -> Iterator[Appointment]:
    """One queue change to one appointment: a transaction under the doctor's row lock (the one
    booking takes) with the appointment locked; once the change is made, the day's ETAs are
    recomputed in the same transaction. A refusal raised inside rolls everything back."""
    with transaction.atomic():
        _lock_doctor(found.doctor_id)
        appointment = _lock(found.pk, clinic=found.clinic)
        yield appointment
        refresh_etas(
            clinic=found.clinic,
            doctor_id=appointment.doctor_id,
            date=appointment.appointment_date,
            now=now,
        )


def _next_token(*, doctor_id: int, clinic_id: Any, date: dt.date) -> int:
    """Under the doctor's row lock: the day's highest token plus one."""
    top = Appointment.objects.filter(
        doctor_id=doctor_id, clinic_id=clinic_id, appointment_date=date
    ).aggregate(top=Max("token"))["top"]
    return (top or 0) + 1


def _join(appointment: Appointment, *, now: dt.datetime) -> None:
    """Into the line: a token (kept when a skipped patient comes back), due at the later of
    the appointment's time and now."""
    if appointment.token is None:
        appointment.token = _next_token(
            doctor_id=appointment.doctor_id,
            clinic_id=appointment.clinic_id,
            date=appointment.appointment_date,
        )
    appointment.queue_state = Q.WAITING
    appointment.arrived_at = now
    appointment.queue_due_at = max(appointment.starts_at, now)
    appointment.save(
        update_fields=["token", "queue_state", "arrived_at", "queue_due_at", "updated_at"]
    )


# --- check-in and the doctor's calls ----------------------------------------------------------


def check_in(*, actor: User, appointment_id: int) -> Appointment:
    """The front desk marks a booked patient arrived: a pending booking is confirmed, and the
    patient joins the line with the next token (a skipped one keeps theirs)."""
    found = appointment_for_front_desk(user=actor, appointment_id=appointment_id)
    clinic = found.clinic
    now = timezone.now()
    with _queue_event(found, now=now) as appointment:
        if appointment.status not in ACTIVE_STATUSES:
            raise InvalidState(
                f"This appointment is {appointment.status}; only pending or confirmed "
                "appointments can be checked in.",
                code=ErrorCode.APPOINTMENT_NOT_ACTIVE,
            )
        if appointment.appointment_date != clinic_today(clinic, now):
            raise InvalidState(
                "Only today's appointments can be checked in.", code=ErrorCode.NOT_TODAY
            )
        if appointment.queue_state not in (Q.EXPECTED, Q.SKIPPED):
            raise Conflict(
                f"This patient is already in the queue ({appointment.queue_state}).",
                code=ErrorCode.ALREADY_CHECKED_IN,
            )
        if appointment.status == S.PENDING:
            appointment_transition(
                appointment=appointment, to=S.CONFIRMED, actor=actor, reason="checked in"
            )
        _join(appointment, now=now)
    return appointment


def _doctor_today(doctor_user: User) -> tuple[DoctorProfile, Clinic]:
    profile = DoctorProfile.objects.filter(user=doctor_user).first()
    membership = doctor_active_membership(user_id=doctor_user.pk)
    if profile is None or membership is None:
        raise QuickCareError(
            "You are not practising at any clinic at the moment.",
            code=ErrorCode.DOCTOR_NOT_IN_CLINIC,
        )
    return profile, membership.clinic


def _finish(appointment: Appointment, *, actor: User, now: dt.datetime) -> None:
    appointment.queue_state = Q.DONE
    appointment.finished_at = now
    appointment.save(update_fields=["queue_state", "finished_at", "updated_at"])
    if appointment.status != S.COMPLETED:
        appointment_transition(appointment=appointment, to=S.COMPLETED, actor=actor)


def _skip(appointment: Appointment) -> None:
    appointment.queue_state = Q.SKIPPED
    appointment.save(update_fields=["queue_state", "updated_at"])


def queue_next(*, doctor_user: User) -> NextCall:
    """The doctor calls the next patient: the one in consultation is finished (completed), one
    called but never started is skipped (they may check in again), and the first waiting
    patient in queue order is called."""
    profile, clinic = _doctor_today(doctor_user)
    now = timezone.now()
    today = clinic_today(clinic, now)
    with transaction.atomic():
        _lock_doctor(profile.pk)
        day = queue_day(clinic=clinic, doctor_id=profile.pk, date=today, now=now)
        previous = None
        if day.board.serving is not None:
            previous = _lock(day.board.serving.id, clinic=clinic)
            if previous.queue_state == Q.IN_CONSULTATION:
                _finish(previous, actor=doctor_user, now=now)
            else:
                _skip(previous)
        waiting = [entry for entry in day.board.line if entry.queue_state == Q.WAITING]
        called = None
        if waiting:
            called = _lock(waiting[0].id, clinic=clinic)
            called.queue_state = Q.CALLED
            called.called_at = now
            called.save(update_fields=["queue_state", "called_at", "updated_at"])
        refresh_etas(clinic=clinic, doctor_id=profile.pk, date=today, now=now)
    return NextCall(called=called, previous=previous)


def _doctor_appointment(*, doctor_user: User, appointment_id: int) -> Appointment:
    found = (
        Appointment.objects.filter(pk=appointment_id, doctor__user=doctor_user)
        .select_related("clinic")
        .first()
    )
    if found is None:
        raise NotFound("Appointment not found.")
    return found


def _queue_state_error(appointment: Appointment, *, doing: str) -> Conflict:
    return Conflict(
        f"This patient is {appointment.queue_state} in the queue and cannot be {doing}.",
        code=ErrorCode.QUEUE_STATE_INVALID,
        queue_state=appointment.queue_state,
    )


def queue_start(*, doctor_user: User, appointment_id: int) -> Appointment:
    """The consultation starts (a called or waiting patient; one at a time)."""
    found = _doctor_appointment(doctor_user=doctor_user, appointment_id=appointment_id)
    now = timezone.now()
    with _queue_event(found, now=now) as appointment:
        if appointment.status not in ACTIVE_STATUSES or appointment.queue_state not in (
            Q.CALLED,
            Q.WAITING,
        ):
            raise _queue_state_error(appointment, doing="started")
        busy = (
            Appointment.objects.filter(
                doctor_id=appointment.doctor_id,
                clinic_id=appointment.clinic_id,
                appointment_date=appointment.appointment_date,
                queue_state=Q.IN_CONSULTATION,
                status__in=ACTIVE_STATUSES,
            )
            .exclude(pk=appointment.pk)
            .exists()
        )
        if busy:
            raise Conflict(
                "Another consultation is in progress; finish it first.",
                code=ErrorCode.CONSULTATION_IN_PROGRESS,
            )
        appointment.queue_state = Q.IN_CONSULTATION
        appointment.called_at = appointment.called_at or now
        appointment.started_at = now
        appointment.save(update_fields=["queue_state", "called_at", "started_at", "updated_at"])
    return appointment


def queue_finish(*, doctor_user: User, appointment_id: int) -> Appointment:
    """The consultation ends: queue state done, status completed (the booking rules' table)."""
    found = _doctor_appointment(doctor_user=doctor_user, appointment_id=appointment_id)
    now = timezone.now()
    with _queue_event(found, now=now) as appointment:
        if appointment.queue_state != Q.IN_CONSULTATION:
            raise _queue_state_error(appointment, doing="finished")
        _finish(appointment, actor=doctor_user, now=now)
    return appointment


def queue_skip(*, actor: User, appointment_id: int) -> Appointment:
    """A waiting or called patient who does not come is skipped; checking them in again puts
    them back in line from that moment with their token."""
    found = appointment_for_front_desk(user=actor, appointment_id=appointment_id)
    now = timezone.now()
    with _queue_event(found, now=now) as appointment:
        if appointment.status not in ACTIVE_STATUSES or appointment.queue_state not in (
            Q.WAITING,
            Q.CALLED,
        ):
            raise _queue_state_error(appointment, doing="skipped")
        _skip(appointment)
    return appointment


# --- ETA announcements -----------------------------------------------------------------------


def refresh_etas(*, clinic: Clinic, doctor_id: int, date: dt.date, now: dt.datetime) -> int:
    """Recompute the day's ETAs (inside the caller's transaction, under the doctor's lock) and
    announce each one that moved more than QUEUE_ETA_NOTIFY_MINUTES from what the patient
    was last told: their appointment time for a booked patient, the first ETA (recorded
    silently) for a walk-in. Only today's queue; returns how many were announced."""
    if date != clinic_today(clinic, now):
        return 0
    day = queue_day(
        clinic=clinic,
        doctor_id=doctor_id,
        date=date,
        now=now,
        extra=("eta_announced_at", "source"),
    )
    limit = dt.timedelta(minutes=settings.QUEUE_ETA_NOTIFY_MINUTES)
    rows = {row["id"]: row for row in day.rows}
    silent: dict[int, dt.datetime] = {}
    moved: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for entry in day.board.line:
        eta = day.board.etas[entry.id]
        row = rows[entry.id]
        told = row["eta_announced_at"]
        if told is None and row["source"] == AppointmentSource.WALK_IN:
            silent[entry.id] = eta
            continue
        told = told or entry.starts_at
        if abs(eta - told) > limit:
            moved[entry.id] = (eta, told)
    for pk, eta in silent.items():
        Appointment.objects.filter(pk=pk).update(eta_announced_at=eta)
    if moved:
        changed = Appointment.objects.filter(pk__in=moved).select_related(
            "clinic", "doctor__user", "patient"
        )
        for appointment in changed:
            eta, previous = moved[appointment.pk]
            appointment.eta_announced_at = eta
            appointment.save(update_fields=["eta_announced_at"])
            queue_eta_moved.send(
                sender=Appointment, appointment=appointment, eta=eta, previous=previous
            )
    return len(moved)


# The names the walk-ins (`appointments.queue.walk_ins`) use.
lock_doctor = _lock_doctor
lock_appointment = _lock
join_line = _join
