"""Gathers the slot engine's inputs from the database and runs it.

Apps depend one way (appointments -> doctors), so the appointments app registers the function
that reads a doctor's taken times (`register_taken_times_provider`, from its AppConfig.ready);
until one is registered, no time is taken.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from clinic.models import Clinic, ClinicTimeSlot
from doctors.models import DoctorAvailability, DoctorLeave
from doctors.slot_engine import SlotQuery, SlotResult, Window, compute_slots

TakenTimesProvider = Callable[[int, dt.date], list[dt.time]]


def _no_taken_times(doctor_id: int, date: dt.date) -> list[dt.time]:
    return []


_provider: dict[str, TakenTimesProvider] = {"taken_times": _no_taken_times}


def register_taken_times_provider(provider: TakenTimesProvider) -> None:
    _provider["taken_times"] = provider


def clinic_local_now(clinic: Clinic, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(clinic.timezone))


def clinic_local_today(clinic: Clinic, now: dt.datetime | None = None) -> dt.date:
    return clinic_local_now(clinic, now).date()


def doctor_windows(*, doctor_id: int, clinic_id: uuid.UUID, weekday: int) -> list[Window]:
    """The doctor's active windows at the clinic for the weekday; if the doctor has no active
    availability at that clinic on any day, the clinic's own time slots for the weekday."""
    rows = list(
        DoctorAvailability.objects.filter(doctor_id=doctor_id, clinic_id=clinic_id, is_active=True)
    )
    if rows:
        return [
            Window(
                start=row.start_time,
                end=row.end_time,
                duration_minutes=row.slot_duration_minutes,
                capacity=row.max_patients,
                source=f"availability:{row.pk}",
            )
            for row in rows
            if row.day_of_week == weekday
        ]
    slots = ClinicTimeSlot.objects.filter(clinic_id=clinic_id, day_of_week=weekday, is_active=True)
    return [
        Window(
            start=slot.start_time,
            end=slot.end_time,
            duration_minutes=slot.slot_duration_minutes,
            capacity=slot.max_appointments,
            source=f"clinic_slot:{slot.pk}",
        )
        for slot in slots
    ]


def doctor_on_leave(*, doctor_id: int, clinic_id: uuid.UUID, date: dt.date) -> bool:
    return DoctorLeave.objects.filter(
        Q(clinic_id__isnull=True) | Q(clinic_id=clinic_id),
        doctor_id=doctor_id,
        start_date__lte=date,
        end_date__gte=date,
    ).exists()


def doctor_free_slots(
    *, doctor_id: int, clinic: Clinic, date: dt.date, now: dt.datetime | None = None
) -> SlotResult:
    """Free times for the doctor at the clinic on the clinic-local date (at most 4 queries)."""
    query = SlotQuery(
        date=date,
        windows=doctor_windows(doctor_id=doctor_id, clinic_id=clinic.pk, weekday=date.weekday()),
        taken=set(_provider["taken_times"](doctor_id, date)),
        on_leave=doctor_on_leave(doctor_id=doctor_id, clinic_id=clinic.pk, date=date),
        now=clinic_local_now(clinic, now),
        horizon_days=settings.BOOKING_HORIZON_DAYS,
    )
    return compute_slots(query)
