"""The queue's arithmetic (appointments/queue/board.py), checked against cases worked by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

from appointments.queue.board import Entry, build_board, median_duration

IST = ZoneInfo("Asia/Kolkata")
DAY = dt.date(2026, 3, 2)
M = dt.timedelta(minutes=10)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=IST)


def entry(pk, *, state, slot, token=None, due=None, called=None, started=None, status=None):
    return Entry(
        id=pk,
        token=token,
        status=status or "confirmed",
        queue_state=state,
        starts_at=at(*slot),
        due_at=due,
        called_at=called,
        started_at=started,
    )


def test_walk_ins_stand_between_booked_patients_by_due_time_then_token():
    now = at(10, 5)
    rows = [
        # booked 10:00, arrived 09:50 (early): due at their slot, 10:00
        entry(1, state="waiting", slot=(10, 0), token=1, due=at(10, 0)),
        # booked 10:30, arrived 10:01: due 10:30
        entry(2, state="waiting", slot=(10, 30), token=3, due=at(10, 30)),
        # walk-in on the free 10:15 slot, arrived 09:58: due 10:15
        entry(3, state="waiting", slot=(10, 15), token=2, due=at(10, 15)),
        # overbooked walk-in, arrived 10:04: due at its arrival
        entry(4, state="waiting", slot=(10, 4), token=4, due=at(10, 4)),
        # booked 10:45, not arrived yet: expected in line at 10:45
        entry(5, state="expected", slot=(10, 45)),
        # booked 09:45, not arrived, time passed: out of the line
        entry(6, state="expected", slot=(9, 45)),
        # booked 09:30 but arrived late at 10:03: due at arrival, 10:03
        entry(7, state="waiting", slot=(9, 30), token=5, due=at(10, 3)),
        # cancelled: never in line
        entry(8, state="waiting", slot=(10, 10), token=6, due=at(10, 10), status="cancelled"),
    ]

    board = build_board(rows, now=now, consultation=M)

    assert [e.id for e in board.line] == [1, 7, 4, 3, 2, 5]
    assert board.position(4) == 3
    assert board.position(6) is None
    assert board.position(8) is None


def test_eta_against_a_hand_computed_day():
    # 10:20 now; the doctor's median is 10 minutes. Token 1 has been in consultation since
    # 10:14 (6 of 10 minutes used: r = 4). In line: token 2 (due 10:00), token 3 (due 10:10),
    # token 4 (due 10:50: a booked patient who came early), and an expected 11:30 booking.
    now = at(10, 20)
    rows = [
        entry(1, state="in_consultation", slot=(9, 50), token=1, due=at(9, 50),
              called=at(10, 13), started=at(10, 14)),
        entry(2, state="waiting", slot=(10, 0), token=2, due=at(10, 0)),
        entry(3, state="waiting", slot=(10, 10), token=3, due=at(10, 10)),
        entry(4, state="waiting", slot=(10, 50), token=4, due=at(10, 50)),
        entry(5, state="expected", slot=(11, 30)),
        entry(9, state="done", slot=(9, 30), token=9, due=at(9, 30)),
    ]  # fmt: skip

    board = build_board(rows, now=now, consultation=M)

    # By hand: r = 10 - 6 = 4 min; token 2 at max(10:24, 10:00) = 10:24; token 3 at
    # max(10:34, 10:10) = 10:34; token 4 at max(10:44, 10:50) = 10:50 (not before its slot);
    # the 11:30 booking at max(11:00, 11:30) = 11:30.
    assert board.remaining == dt.timedelta(minutes=4)
    assert board.etas[2] == at(10, 24)
    assert board.etas[3] == at(10, 34)
    assert board.etas[4] == at(10, 50)
    assert board.etas[5] == at(11, 30)
    assert board.etas[1] == now  # being seen
    assert board.now_serving == 1
    # Running late: the first in line (due 10:00) will be seen at 10:24.
    assert board.running_late_minutes == 24


def test_a_called_patient_not_yet_started_counts_a_whole_consultation():
    now = at(10, 0)
    rows = [
        entry(1, state="called", slot=(9, 50), token=1, due=at(9, 50), called=at(9, 59)),
        entry(2, state="waiting", slot=(9, 55), token=2, due=at(9, 55)),
    ]

    board = build_board(rows, now=now, consultation=M)

    assert board.remaining == M
    assert board.etas[2] == at(10, 10)
    assert board.running_late_minutes == 15


def test_nobody_being_seen_and_the_line_not_yet_due_is_not_late():
    now = at(8, 30)
    rows = [entry(1, state="expected", slot=(9, 0)), entry(2, state="expected", slot=(9, 15))]

    board = build_board(rows, now=now, consultation=M)

    assert board.etas == {1: at(9, 0), 2: at(9, 15)}
    assert board.running_late_minutes == 0
    assert board.now_serving is None


def test_a_late_expected_patient_is_projected_in_their_own_view_only():
    now = at(10, 0)
    rows = [
        entry(1, state="waiting", slot=(9, 50), token=1, due=at(9, 55)),
        entry(2, state="expected", slot=(9, 30)),  # late, not arrived
    ]

    others = build_board(rows, now=now, consultation=M)
    own = build_board(rows, now=now, consultation=M, projected=2)

    assert others.position(2) is None
    assert own.position(2) == 2  # as if checked in now: due 10:00, after token 1 (9:55)
    assert own.etas[2] == at(10, 10)


def test_median_consultation():
    minutes = [dt.timedelta(minutes=n) for n in (12, 4, 8, 30)]

    assert median_duration(minutes, default=M) == dt.timedelta(minutes=10)  # (8 + 12) / 2
    assert median_duration(minutes[:3], default=M) == dt.timedelta(minutes=8)
    assert median_duration([], default=M) == M
