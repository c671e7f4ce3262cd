"""Reads of the waitlist: a patient's entries and the entries a freed slot may go to (the live
holds the slot engine hides are read with its other inputs, in `appointments.slots`)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from appointments.waitlist.models import WaitlistEntry, WaitlistStatus
from core.error_codes import ErrorCode
from core.exceptions import NotFound


def waitlist_list_for_patient(*, patient: Any) -> QuerySet[WaitlistEntry]:
    """The account's entries, its own and its dependents' (`patient` is the holder, as on
    `/api/appointments/my/`), by date, then joining order."""
    return (
        WaitlistEntry.objects.filter(patient=patient)
        .select_related("doctor__user", "clinic", "patient_profile")
        .order_by("date", "created_at", "id")
    )


def waitlist_get_for_patient(*, patient: Any, entry_id: int) -> WaitlistEntry:
    entry = waitlist_list_for_patient(patient=patient).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("Waitlist entry not found.", code=ErrorCode.WAITLIST_ENTRY_NOT_FOUND)
    return entry


def waiting_entries(*, doctor_id: int, date: dt.date) -> QuerySet[WaitlistEntry]:
    """Who a freed slot of the doctor's day goes to, first in line first (locked: the caller
    holds the doctor's row lock, so this is the one writer of the day's offers)."""
    return (
        WaitlistEntry.objects.filter(doctor_id=doctor_id, date=date, status=WaitlistStatus.WAITING)
        .select_related("patient", "doctor__user", "clinic")
        .select_for_update(of=("self",))
        .order_by("priority", "created_at", "id")
    )
