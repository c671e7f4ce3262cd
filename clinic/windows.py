"""Weekly windows: the one set of rules for clinic opening hours and doctor availability.

A window is a weekday and a clinic-local half-open span [start, end) cut into slots of
`slot_duration_minutes`. Clinic time slots and doctor availability (doctors imports clinic)
check a window with `check_window`, find clashes with `first_overlap` (within one request)
and `overlapping` (against stored rows), and label windows with `window_label`. A broken
window is one `InvalidWindow`, which every caller renders the same way: DRF's field dict.
"""

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db.models import Q

from clinic.models import DayOfWeek

INVALID_WINDOW = "invalid_window"
END_NOT_AFTER_START = "end_time must be later than start_time."


class WeeklyWindow(Protocol):
    """What the overlap and label rules read: a spec, a model row or a form's data object."""

    @property
    def day_of_week(self) -> int: ...

    @property
    def start_time(self) -> dt.time: ...

    @property
    def end_time(self) -> dt.time: ...


class InvalidWindow(ValidationError):
    """A window that breaks a rule: field -> messages, and one code.

    A Django ValidationError on purpose: a serializer's `validate` (DRF converts it, keeping
    the nested index of a list), a service (the one exception handler converts it) and an
    admin form's `clean` all render it as the same field dict, so one mistake has one answer.
    """

    code = INVALID_WINDOW

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            {field: [ValidationError(text, code=INVALID_WINDOW)] for field, text in errors.items()}
        )

    @property
    def fields(self) -> dict[str, list[str]]:
        return self.message_dict


def day_name(day_of_week: int) -> str:
    return str(DayOfWeek(day_of_week).label)


def hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def window_label(window: WeeklyWindow) -> str:
    """ "Monday 09:00-13:00"."""
    return f"{day_name(window.day_of_week)} {hhmm(window.start_time)}-{hhmm(window.end_time)}"


def window_minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def window_errors(*, start: dt.time, end: dt.time, duration: int) -> dict[str, str]:
    """Why a weekly window is invalid, keyed by field; empty when it is fine.

    The duration bounds themselves (`clinic.models.MIN/MAX_SLOT_MINUTES`) are checked by the
    input fields; this is the rule that needs the whole window.
    """
    if start >= end:
        return {"end_time": END_NOT_AFTER_START}
    length = window_minutes(start, end)
    if duration > length:
        return {
            "slot_duration_minutes": "slot_duration_minutes cannot be longer than the window "
            f"({length} minutes)."
        }
    return {}


def check_window(*, start: dt.time, end: dt.time, duration: int) -> None:
    """Raises InvalidWindow when `window_errors` finds anything."""
    errors = window_errors(start=start, end=end, duration=duration)
    if errors:
        raise InvalidWindow(errors)


def windows_overlap(a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]) -> bool:
    """Half-open windows: 09:00-13:00 and 13:00-17:00 touch but do not overlap."""
    return a[0] < b[1] and b[0] < a[1]


def first_overlap[W: WeeklyWindow](windows: Sequence[W]) -> tuple[W, W] | None:
    """Two windows of the set that overlap on one weekday, earliest first; None if none do.

    Sorted by (day, start), an overlapping pair exists exactly when two neighbours overlap.
    """
    ordered = sorted(windows, key=lambda w: (w.day_of_week, w.start_time))
    for first, second in itertools.pairwise(ordered):
        if first.day_of_week == second.day_of_week and windows_overlap(
            (first.start_time, first.end_time), (second.start_time, second.end_time)
        ):
            return first, second
    return None


def overlapping(window: WeeklyWindow) -> Q:
    """The stored active windows `window` would overlap: `windows_overlap` as a filter."""
    return Q(
        is_active=True,
        day_of_week=window.day_of_week,
        start_time__lt=window.end_time,
        end_time__gt=window.start_time,
    )
