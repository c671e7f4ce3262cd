"""The periodic part of the queue (`manage.py queue_sweep`, every minute or few): no-shows
without paperwork, and ETA moves that no queue event announced (a consultation running long).

No-shows: at a clinic that sets `auto_no_show_after_minutes`, a confirmed appointment never
checked in becomes `no_show` once its time plus that many minutes (at least
NO_SHOW_GRACE_MINUTES, the doctor's own rule) has passed. The history shows the system as a
null actor with a reason starting "system:". Only the last LOOKBACK_DAYS are looked at, so
turning the setting on does not rewrite a clinic's old records.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentStatus, QueueState
from appointments.queue.services import refresh_etas
from appointments.services import appointment_transition
from clinic.models import Clinic
from clinic.rules import clinic_today
from doctors.models import DoctorProfile

LOOKBACK_DAYS = 2
S = AppointmentStatus
Q = QueueState


@dataclass(frozen=True)
class SweepResult:
    no_shows: int
    eta_moves: int


def _grace_minutes(clinic: Clinic) -> int:
    return max(clinic.auto_no_show_after_minutes or 0, settings.NO_SHOW_GRACE_MINUTES)


def _mark_one(appointment_id: int, *, clinic: Clinic, minutes: int) -> bool:
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment_id)
        locked.clinic = clinic
        if locked.status != S.CONFIRMED or locked.arrived_at is not None:
            return False  # checked in or changed since it was read
        appointment_transition(
            appointment=locked,
            to=S.NO_SHOW,
            actor=None,
            reason=f"system: not checked in within {minutes} minutes of the appointment time",
        )
    return True


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    marked = 0
    clinics = Clinic.objects.filter(is_active=True, auto_no_show_after_minutes__isnull=False)
    for clinic in clinics:
        minutes = _grace_minutes(clinic)
        today = clinic_today(clinic, now)
        due = Appointment.objects.filter(
            clinic=clinic,
            status=S.CONFIRMED,
            arrived_at__isnull=True,
            queue_state=Q.EXPECTED,
            appointment_date__range=(today - dt.timedelta(days=LOOKBACK_DAYS), today),
        ).only("id", "appointment_date", "appointment_time")
        for appointment in due:
            appointment.clinic = clinic
            if appointment.starts_at + dt.timedelta(minutes=minutes) > now:
                continue
            marked += _mark_one(appointment.pk, clinic=clinic, minutes=minutes)
    return marked


def refresh_active_etas(*, now: dt.datetime | None = None) -> int:
    """Re-check the ETAs of every doctor with someone waiting or being seen today."""
    now = now or timezone.now()
    utc_today = now.astimezone(dt.UTC).date()
    pairs = (
        Appointment.objects.filter(
            status__in=ACTIVE_STATUSES,
            queue_state__in=(Q.WAITING, Q.CALLED, Q.IN_CONSULTATION),
            appointment_date__range=(
                utc_today - dt.timedelta(days=1),
                utc_today + dt.timedelta(days=1),
            ),
        )
        .values_list("doctor_id", "clinic_id", "appointment_date")
        .distinct()
    )
    clinics = {clinic.pk: clinic for clinic in Clinic.objects.filter(pk__in={p[1] for p in pairs})}
    moves = 0
    for doctor_id, clinic_id, date in pairs:
        clinic = clinics[clinic_id]
        if date != clinic_today(clinic, now):
            continue
        with transaction.atomic():
            DoctorProfile.objects.select_for_update(of=("self",)).get(pk=doctor_id)
            moves += refresh_etas(clinic=clinic, doctor_id=doctor_id, date=date, now=now)
    return moves


def queue_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    return SweepResult(no_shows=mark_no_shows(now=now), eta_moves=refresh_active_etas(now=now))
