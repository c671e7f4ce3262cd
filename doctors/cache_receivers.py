"""Cached public reads (core.response_cache) forget what a doctor write changes.

Model signals, so every ORM writer is covered (services, admin, shell): a profile changes the
directory (doctor list and detail, and through it every slot listing); a weekly window or a
leave changes every slot listing of that doctor (a day-level input). `QuerySet.update()` and
`bulk_create` send no signals: their callers bump explicitly (none in this app today).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from core.response_cache import bump_directory, bump_doctor_slots
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile


def profile_changed(sender: Any, instance: DoctorProfile, **kwargs: Any) -> None:
    bump_directory()


def doctor_schedule_changed(
    sender: Any, instance: DoctorAvailability | DoctorLeave, **kwargs: Any
) -> None:
    bump_doctor_slots(instance.doctor_id)


def connect() -> None:
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(profile_changed, DoctorProfile, dispatch_uid=f"cache.profile.{name}")
        for model in (DoctorAvailability, DoctorLeave):
            signal.connect(
                doctor_schedule_changed,
                model,
                dispatch_uid=f"cache.{model._meta.model_name}.{name}",
            )
