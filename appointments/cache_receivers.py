"""Cached slot listings and lists (core.response_cache) forget what an appointment write touches.

Every save or delete of an appointment (booking, cancellation, any status change, any field)
bumps the version of its doctor and date (slot listings), of its holder's account (the
patient's lists) and of its doctor (the doctor's lists), and the same for the doctor, date and
holder it was loaded with, so a reschedule frees the old slot and a transfer leaves the old
holder's lists too. The loaded values are read from the instance's `__dict__`, never through
a deferred field (no query). Writers that bypass signals (`QuerySet.update()`, `bulk_create`)
must call `core.response_cache.bump_doctor_slots(doctor_id, date)` themselves for the slot
listings; the private lists are ended by the model's manager (core/records.py). A waitlist hold that
appears or goes (`appointments.signals.slot_holds_changed`) bumps its doctor and date too; a
hold that simply runs out is a change by the clock, which `slots.listing_changes_at` counts.
"""

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from appointments.models import Appointment
from appointments.signals import slot_holds_changed
from appointments.waitlist.models import WaitlistEntry
from core.response_cache import (
    account_key,
    bump,
    bump_doctor_slots,
    doctor_day_key,
    doctor_records_key,
)

_LOADED = "_slot_cache_loaded"


def remember_loaded(sender: Any, instance: Appointment, **kwargs: Any) -> None:
    values = instance.__dict__
    instance.__dict__[_LOADED] = (
        values.get("doctor_id"),
        values.get("appointment_date"),
        values.get("patient_id"),
    )


def appointment_changed(sender: Any, instance: Appointment, **kwargs: Any) -> None:
    keys = {
        doctor_day_key(instance.doctor_id, instance.appointment_date),
        account_key(instance.patient_id),
        doctor_records_key(instance.doctor_id),
    }
    doctor_id, date, patient_id = instance.__dict__.get(_LOADED, (None, None, None))
    if doctor_id is not None and date is not None:
        keys.add(doctor_day_key(doctor_id, date))
    if doctor_id is not None:
        keys.add(doctor_records_key(doctor_id))
    if patient_id is not None:
        keys.add(account_key(patient_id))
    bump(*sorted(keys))
    remember_loaded(sender, instance)


def holds_changed(sender: Any, *, doctor_id: int, date: Any, **kwargs: Any) -> None:
    bump_doctor_slots(doctor_id, date)


def connect() -> None:
    slot_holds_changed.connect(holds_changed, WaitlistEntry, dispatch_uid="cache.waitlist.holds")
    post_init.connect(remember_loaded, Appointment, dispatch_uid="cache.appointment.init")
    post_save.connect(appointment_changed, Appointment, dispatch_uid="cache.appointment.save")
    post_delete.connect(appointment_changed, Appointment, dispatch_uid="cache.appointment.delete")
