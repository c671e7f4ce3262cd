"""Cached public reads (core.response_cache) forget what a clinic write changes.

Model signals cover every ORM save and delete: a clinic or a membership changes the directory
(doctor list and detail, clinic list and detail with their member counts, and through it
every slot listing); a weekly window changes the clinic slot lists and the slot listings that
fall back on them. The services' `QuerySet.update()` and `bulk_create` calls (which send no
signals) bump explicitly: `services/clinics.py` and `admin.py`.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
from core.response_cache import bump_clinic_slots, bump_directory


def directory_changed(sender: Any, instance: Clinic | ClinicMember, **kwargs: Any) -> None:
    bump_directory()


def clinic_slots_changed(sender: Any, instance: ClinicTimeSlot, **kwargs: Any) -> None:
    bump_clinic_slots()


def connect() -> None:
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        for model in (Clinic, ClinicMember):
            signal.connect(
                directory_changed, model, dispatch_uid=f"cache.{model._meta.model_name}.{name}"
            )
        signal.connect(clinic_slots_changed, ClinicTimeSlot, dispatch_uid=f"cache.slot.{name}")
