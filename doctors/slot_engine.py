"""The one slot engine: free appointment times for a doctor at a clinic on a date.

Pure: no queries and no clock. Windows, leave, taken times and "now" (clinic-local) come in;
free times and the reason each other candidate is hidden come out. The slot listing and the
booking check both call `compute_slots`, so what is shown is exactly what can be booked.
"""

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# Why a listing offers no time at all (explain=true), beside the per-time reasons below.
NOT_PRACTISING_AT_CLINIC = "not_practising_at_clinic"


class HiddenReason(StrEnum):
    BOOKED = "booked"
    ON_LEAVE = "on_leave"
    PAST_DATE = "past_date"
    BEYOND_HORIZON = "beyond_horizon"
    PAST_TIME = "past_time"
    WINDOW_FULL = "window_full"
    HELD = "held"  # offered to a waiting patient (the waitlist) and held for them a while


@dataclass(frozen=True)
class Window:
    """A weekly window on the requested date: candidates every `duration_minutes` from start
    while start + duration <= end; at most `capacity` active appointments per date."""

    start: dt.time
    end: dt.time
    duration_minutes: int
    capacity: int
    source: str = ""  # e.g. "availability:12" or "clinic_slot:3", for explain output

    def candidates(self) -> list[dt.time]:
        if self.duration_minutes <= 0:  # a broken row must not loop forever
            return []
        step = dt.timedelta(minutes=self.duration_minutes)
        day = dt.date(2000, 1, 1)
        current = dt.datetime.combine(day, self.start)
        end = dt.datetime.combine(day, self.end)
        times = []
        while current + step <= end:
            times.append(current.time())
            current += step
        return times

    def contains(self, moment: dt.time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class SlotQuery:
    date: dt.date
    windows: Sequence[Window]
    taken: Collection[dt.time]  # start times of the doctor's pending/confirmed appointments
    on_leave: bool
    now: dt.datetime  # aware or naive, but in the clinic's local time
    horizon_days: int
    # Times held for someone else (a waitlist offer): hidden, and counted against capacity
    # like a booking, so the holder can still book when they accept.
    held: Collection[dt.time] = ()


@dataclass
class SlotResult:
    free: list[dt.time] = field(default_factory=list)
    hidden: dict[dt.time, HiddenReason] = field(default_factory=dict)
    # which window each candidate time belongs to (used by booking to lock capacity)
    window_of: dict[dt.time, Window] = field(default_factory=dict)

    def is_free(self, moment: dt.time) -> bool:
        return moment in self.free


def _day_reason(query: SlotQuery) -> HiddenReason | None:
    today = query.now.date()
    if query.date < today:
        return HiddenReason.PAST_DATE
    if query.date > today + dt.timedelta(days=query.horizon_days):
        return HiddenReason.BEYOND_HORIZON
    if query.on_leave:
        return HiddenReason.ON_LEAVE
    return None


def _time_reason(
    query: SlotQuery, window: Window, moment: dt.time, used: int
) -> HiddenReason | None:
    if moment in query.taken:
        return HiddenReason.BOOKED
    if moment in query.held:
        return HiddenReason.HELD
    if query.date == query.now.date() and moment <= query.now.time().replace(tzinfo=None):
        return HiddenReason.PAST_TIME
    if used >= window.capacity:
        return HiddenReason.WINDOW_FULL
    return None


def compute_slots(query: SlotQuery) -> SlotResult:
    result = SlotResult()
    day_reason = _day_reason(query)
    for window in sorted(query.windows, key=lambda w: w.start):
        used = sum(1 for moment in query.taken if window.contains(moment))
        used += sum(
            1 for moment in query.held if moment not in query.taken and window.contains(moment)
        )
        for moment in window.candidates():
            if moment in result.window_of:  # overlapping windows: the earlier one wins
                continue
            result.window_of[moment] = window
            reason = day_reason or _time_reason(query, window, moment, used)
            if reason is None:
                result.free.append(moment)
            else:
                result.hidden[moment] = reason
    result.free.sort()
    return result
