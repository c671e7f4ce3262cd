"""Clinic rules shared by serializers and services: editable fields, zones, the clinic clock."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone

from clinic.models import Clinic
from core.roles import role_word

# The clinic fields an owner writes (create, step 3, update); shared by serializers and services.
CLINIC_EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "clinic_type",
    "phone",
    "email",
    "address",
    "city",
    "state",
    "pincode",
    "registration_number",
    "description",
    "timezone",
    "auto_no_show_after_minutes",
)


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in _known_timezones()


def clinic_now(clinic: Clinic | str, now: dt.datetime | None = None) -> dt.datetime:
    """`now` (default: this moment) on the clinic's wall clock; a clinic or its zone name."""
    zone = clinic if isinstance(clinic, str) else clinic.timezone
    return (now or timezone.now()).astimezone(ZoneInfo(zone))


def clinic_today(clinic: Clinic | str, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the clinic is (slot listings, leaves, joined_at / left_at defaults)."""
    return clinic_now(clinic, now).date()


def role_label(role_id: int) -> str:
    """A role as words in a sentence ("lab member"): `core.roles.role_word`'s, spaced."""
    return role_word(role_id).replace("_", " ")
