"""The queue's order, positions, ETAs and lateness: pure (rows and "now" in, numbers out), so
the views, the ETA notifications and the dashboard share one arithmetic that a test can check
by hand.

The order rule. Everyone in line has a due time, and the line runs by due time, then token
(arrival order), then id:
- a checked-in patient (booked or walk-in) is due at the later of their appointment time and
  their arrival: early arrivals wait for their slot, a late arrival queues from when they came;
- a walk-in with a slot is due at that slot; an overbooked walk-in (no slot) at its arrival,
  or at the session's start if it came before (its appointment time holds that moment);
- a booked patient not yet arrived stands in line at their appointment time while it is still
  to come (they are expected); once it has passed they leave the line until they check in.
The doctor calls only checked-in patients ("next": the first *waiting* one in this order).

The ETA. With m the doctor's median consultation (started -> finished, last 30 days; a
default until there is history) and r what is left of the current one (m minus its elapsed
time, at least 0; m if called but not started; 0 if nobody is being seen), the first in line
is expected at max(now + r, due_0) and each next one at max(previous + m, due_i).
Running late: how far behind their due time the first in line will be seen,
max(0, now + r - due_0) in whole minutes (0 with nobody in line).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from appointments.models import ACTIVE_STATUSES, QueueState

Q = QueueState
SERVING_STATES = frozenset({Q.CALLED, Q.IN_CONSULTATION})


@dataclass(frozen=True)
class Entry:
    """One appointment of the doctor's day, as the queue sees it."""

    id: int
    token: int | None
    status: str
    queue_state: str
    starts_at: dt.datetime  # aware: the appointment's date and time at the clinic
    due_at: dt.datetime | None  # set at check-in
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None


@dataclass
class Board:
    now: dt.datetime
    consultation: dt.timedelta
    line: list[Entry] = field(default_factory=list)
    serving: Entry | None = None
    etas: dict[int, dt.datetime] = field(default_factory=dict)
    remaining: dt.timedelta = dt.timedelta(0)

    def position(self, entry_id: int) -> int | None:
        """1 for the first in line; None when not in line (being seen, done, away)."""
        for index, entry in enumerate(self.line):
            if entry.id == entry_id:
                return index + 1
        return None

    @property
    def now_serving(self) -> int | None:
        return self.serving.token if self.serving is not None else None

    @property
    def running_late_minutes(self) -> int:
        if not self.line:
            return 0
        behind = self.now + self.remaining - _due(self.line[0], self.now)
        return max(0, int(behind.total_seconds() // 60))


def _due(entry: Entry, now: dt.datetime) -> dt.datetime:
    if entry.queue_state == Q.WAITING and entry.due_at is not None:
        return entry.due_at
    return max(entry.starts_at, now) if entry.queue_state == Q.EXPECTED else entry.starts_at


def _in_line(entry: Entry, *, now: dt.datetime, projected: int | None) -> bool:
    if entry.status not in ACTIVE_STATUSES:
        return False
    if entry.queue_state == Q.WAITING:
        return True
    if entry.queue_state == Q.EXPECTED:
        # A late expected patient stands in line only in their own view ("if you came now").
        return entry.starts_at >= now or entry.id == projected
    return False


def _sort_key(entry: Entry, now: dt.datetime) -> tuple[dt.datetime, int, int]:
    token = entry.token if entry.token is not None else 1 << 31
    return (_due(entry, now), token, entry.id)


def _remaining(serving: Entry | None, *, now: dt.datetime, m: dt.timedelta) -> dt.timedelta:
    if serving is None:
        return dt.timedelta(0)
    if serving.queue_state == Q.IN_CONSULTATION and serving.started_at is not None:
        return max(dt.timedelta(0), m - (now - serving.started_at))
    return m


def build_board(
    entries: Iterable[Entry],
    *,
    now: dt.datetime,
    consultation: dt.timedelta,
    projected: int | None = None,
) -> Board:
    """The line in order with each one's ETA. `projected`: an expected patient whose time has
    passed is placed as if they checked in now (their own view only)."""
    rows = list(entries)
    serving_rows = [
        e for e in rows if e.status in ACTIVE_STATUSES and e.queue_state in SERVING_STATES
    ]
    # The most recently called is the one being seen (the queue keeps at most one).
    serving = max(serving_rows, key=lambda e: (e.called_at or now, e.id), default=None)
    line = sorted(
        (e for e in rows if _in_line(e, now=now, projected=projected)),
        key=lambda e: _sort_key(e, now),
    )
    board = Board(now=now, consultation=consultation, line=line, serving=serving)
    board.remaining = _remaining(serving, now=now, m=consultation)
    moment = now + board.remaining
    for index, entry in enumerate(line):
        if index:
            moment += consultation
        moment = max(moment, _due(entry, now))
        board.etas[entry.id] = moment
    if serving is not None:
        board.etas[serving.id] = now
    return board


def median_duration(durations: Iterable[dt.timedelta], *, default: dt.timedelta) -> dt.timedelta:
    """The median consultation (the mean of the middle two for an even count)."""
    ordered = sorted(d for d in durations if d >= dt.timedelta(0))
    if not ordered:
        return default
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
