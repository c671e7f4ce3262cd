"""Pure rules shared by serializers (field errors) and services (domain errors)."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from clinic.models import DayOfWeek
from core.roles import RoleId

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
)

MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in _known_timezones()


def clinic_today(timezone_name: str) -> dt.date:
    """Today's date where the clinic is (joined_at / left_at defaults)."""
    return dt.datetime.now(ZoneInfo(timezone_name)).date()


def window_minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def window_errors(*, start: dt.time, end: dt.time, duration: int) -> dict[str, str]:
    """Why a weekly window is invalid, keyed by field; empty when it is fine."""
    if start >= end:
        return {"end_time": "end_time must be later than start_time."}
    if duration > window_minutes(start, end):
        return {
            "slot_duration_minutes": "slot_duration_minutes cannot be longer than the window "
            f"({window_minutes(start, end)} minutes)."
        }
    return {}


def windows_overlap(a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]) -> bool:
    """Half-open windows: 09:00-13:00 and 13:00-17:00 touch but do not overlap."""
    return a[0] < b[1] and b[0] < a[1]


def day_name(day_of_week: int) -> str:
    return str(DayOfWeek(day_of_week).label)


def hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def role_label(role_id: int) -> str:
    return RoleId(role_id).name.lower().replace("_", " ")
