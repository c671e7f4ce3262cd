"""Gathers the slot engine's inputs from the database and runs it.

Apps depend one way (appointments -> doctors), so the appointments app registers the function
that reads a doctor's taken times (`register_taken_times_provider`, from its AppConfig.ready);
until one is registered, no time is taken.
"""

import datetime as dt
import functools
import string
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
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


_OWN, _CLINIC, _LEAVE = 1, 2, 3


# Hand-written because it runs on every slot listing and booking: composing the same UNION
# with the ORM costs many times its execution. Portable (SQLite, PostgreSQL); table names come
# from model metadata and every value is a bound parameter.
_WINDOWS_AND_LEAVE_SQL = string.Template(
    "SELECT id, 1 AS kind, day_of_week, start_time, end_time, slot_duration_minutes,"
    " max_patients FROM $availability WHERE doctor_id = %s AND clinic_id = %s AND is_active"
    " UNION ALL"
    " SELECT id, 2, day_of_week, start_time, end_time, slot_duration_minutes,"
    " max_appointments FROM $clinic_slots"
    " WHERE clinic_id = %s AND day_of_week = %s AND is_active"
    " UNION ALL"
    " SELECT id, 3, 0, NULL, NULL, 0, 0 FROM $leave"
    " WHERE doctor_id = %s AND (clinic_id IS NULL OR clinic_id = %s)"
    " AND start_date <= %s AND end_date >= %s"
)


@functools.cache
def _windows_and_leave_sql() -> str:
    return _WINDOWS_AND_LEAVE_SQL.substitute(
        availability=DoctorAvailability._meta.db_table,
        clinic_slots=ClinicTimeSlot._meta.db_table,
        leave=DoctorLeave._meta.db_table,
    )


def doctor_windows_and_leave(
    *, doctor_id: int, clinic_id: uuid.UUID, date: dt.date
) -> tuple[list[Window], bool]:
    """The windows for the date's weekday and whether the doctor is on leave, in one query.

    Windows are the doctor's active availability at the clinic; if the doctor has none there
    on any day, the clinic's own time slots. Leave counts when it is at this clinic or at all
    clinics (no clinic).
    """
    clinic_param = Clinic._meta.pk.get_db_prep_value(clinic_id, connection)
    day_param = connection.ops.adapt_datefield_value(date)
    params = [doctor_id, clinic_param, clinic_param, date.weekday()]
    params += [doctor_id, clinic_param, day_param, day_param]
    # Rows come back as DoctorAvailability instances, so times get the field's converters.
    rows = list(DoctorAvailability.objects.raw(_windows_and_leave_sql(), params))
    kinds = {getattr(row, "kind") for row in rows}  # noqa: B009 - a raw column
    source = _OWN if _OWN in kinds else _CLINIC
    label = "availability" if source == _OWN else "clinic_slot"
    windows = [
        Window(
            start=row.start_time,
            end=row.end_time,
            duration_minutes=row.slot_duration_minutes,
            capacity=row.max_patients,
            source=f"{label}:{row.pk}",
        )
        for row in rows
        if getattr(row, "kind") == source and row.day_of_week == date.weekday()  # noqa: B009
    ]
    windows.sort(key=lambda window: (window.start, window.source))
    return windows, _LEAVE in kinds


def doctor_free_slots(
    *, doctor_id: int, clinic: Clinic, date: dt.date, now: dt.datetime | None = None
) -> SlotResult:
    """Free times for the doctor at the clinic on the clinic-local date (two queries: windows
    with leave, and the taken times)."""
    windows, on_leave = doctor_windows_and_leave(
        doctor_id=doctor_id, clinic_id=clinic.pk, date=date
    )
    query = SlotQuery(
        date=date,
        windows=windows,
        taken=set(_provider["taken_times"](doctor_id, date)),
        on_leave=on_leave,
        now=clinic_local_now(clinic, now),
        horizon_days=settings.BOOKING_HORIZON_DAYS,
    )
    return compute_slots(query)
