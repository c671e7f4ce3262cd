"""When a scheduled notification goes out: offsets before an event, and the quiet hours.

Quiet hours are clinic-local (NOTIFICATION_QUIET_HOURS, "21:00-08:00" by default, wrapping
midnight): a message that would fall inside them moves to their end if that is still before
its deadline (the appointment's start), and is otherwise skipped with the reason kept.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    raw = settings.NOTIFICATION_QUIET_HOURS.strip()
    if not raw:
        return None
    start, end = (dt.time.fromisoformat(part.strip()) for part in raw.split("-"))
    return None if start == end else (start, end)


def _in_quiet(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def after_quiet_hours(
    due: dt.datetime, *, zone: str, deadline: dt.datetime
) -> tuple[dt.datetime, str]:
    """`due`, or the end of the quiet hours it falls in; a reason when that is too late."""
    window = quiet_hours()
    if window is None:
        return due, ""
    start, end = window
    local = due.astimezone(ZoneInfo(zone))
    if not _in_quiet(local.time(), start, end):
        return due, ""
    day = local.date()
    if start > end and local.time() >= start:
        day += dt.timedelta(days=1)
    moved = dt.datetime.combine(day, end, tzinfo=ZoneInfo(zone))
    if moved >= deadline:
        return due, (
            f"quiet hours {start:%H:%M}-{end:%H:%M}: their end is not before {deadline.isoformat()}"
        )
    return moved, ""


def before(
    deadline: dt.datetime, *, minutes: int, zone: str, now: dt.datetime
) -> tuple[dt.datetime, str]:
    """The moment `minutes` before `deadline`, moved out of quiet hours; a reason to skip it
    when it has already passed (booked later than the offset) or quiet hours leave no time."""
    due = deadline - dt.timedelta(minutes=minutes)
    if deadline <= now:
        return due, "the event has already started"
    if due < now:
        return due, f"less than {minutes} minutes were left when it was scheduled"
    return after_quiet_hours(due, zone=zone, deadline=deadline)
