"""Property-based tests of the slot engine: random windows, bookings, leave and clocks."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from doctors.slot_engine import HiddenReason, SlotQuery, Window, compute_slots

TODAY = dt.date(2026, 11, 26)
HORIZON = 90
DAY_MINUTES = 24 * 60
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def at(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def minutes_of(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


@st.composite
def a_window(draw, earliest: int = 0) -> Window:
    duration = draw(st.integers(5, min(240, DAY_MINUTES - 1 - earliest)))
    start = draw(st.integers(earliest, DAY_MINUTES - 1 - duration))
    length = draw(st.integers(duration, min(DAY_MINUTES - 1 - start, duration * 12)))
    return Window(
        start=at(start),
        end=at(start + length),
        duration_minutes=duration,
        capacity=draw(st.integers(1, 12)),
        source=f"w{start}",
    )


@st.composite
def disjoint_windows(draw) -> list[Window]:
    windows: list[Window] = []
    earliest = 0
    for _ in range(draw(st.integers(0, 4))):
        window = draw(a_window(earliest=earliest))
        windows.append(window)
        earliest = minutes_of(window.end) + draw(st.integers(0, 60))
        if earliest + 5 >= DAY_MINUTES - 1:
            break
    return draw(st.permutations(windows))


@st.composite
def slot_queries(draw, windows=None) -> SlotQuery:
    windows = draw(windows if windows is not None else st.lists(a_window(), max_size=4))
    grid = sorted({moment for window in windows for moment in window.candidates()})
    taken_on_grid = draw(st.lists(st.sampled_from(grid), max_size=20)) if grid else []
    taken_anywhere = draw(st.lists(st.integers(0, DAY_MINUTES - 1).map(at), max_size=4))
    now = dt.datetime.combine(TODAY, at(draw(st.integers(0, DAY_MINUTES - 1))))
    return SlotQuery(
        date=TODAY + dt.timedelta(days=draw(st.integers(-3, HORIZON + 3))),
        windows=windows,
        taken=set(taken_on_grid) | set(taken_anywhere),
        on_leave=draw(st.booleans()),
        now=now,
        horizon_days=HORIZON,
    )


def taken_in(query: SlotQuery, window: Window) -> int:
    return sum(1 for moment in query.taken if window.contains(moment))


@PROPERTY_SETTINGS
@given(slot_queries())
def test_every_listed_slot_is_inside_a_window_and_on_its_grid(query):
    result = compute_slots(query)
    assert result.free == sorted(set(result.free))
    for moment in result.free:
        window = result.window_of[moment]
        assert window in query.windows
        offset = minutes_of(moment) - minutes_of(window.start)
        assert offset >= 0
        assert offset % window.duration_minutes == 0
        assert minutes_of(moment) + window.duration_minutes <= minutes_of(window.end)


@PROPERTY_SETTINGS
@given(slot_queries())
def test_no_listed_slot_is_taken_on_leave_past_or_beyond_the_horizon(query):
    result = compute_slots(query)
    if query.on_leave or query.date < TODAY or query.date > TODAY + dt.timedelta(days=HORIZON):
        assert result.free == []
    for moment in result.free:
        assert moment not in query.taken
        if query.date == TODAY:
            assert moment > query.now.time()


@PROPERTY_SETTINGS
@given(slot_queries())
def test_booking_any_listed_slot_keeps_its_window_within_capacity(query):
    result = compute_slots(query)
    for moment in result.free:
        assert taken_in(query, result.window_of[moment]) + 1 <= result.window_of[moment].capacity
    for window in query.windows:
        if taken_in(query, window) >= window.capacity:
            assert not [m for m in result.free if result.window_of[m] is window]


@PROPERTY_SETTINGS
@given(slot_queries())
def test_every_candidate_is_either_listed_or_hidden_with_a_reason(query):
    result = compute_slots(query)
    candidates = {moment for window in query.windows for moment in window.candidates()}
    assert set(result.free) | set(result.hidden) == candidates
    assert not set(result.free) & set(result.hidden)
    assert set(result.window_of) == candidates


@PROPERTY_SETTINGS
@given(slot_queries(windows=disjoint_windows()))
def test_disjoint_windows_match_an_independent_oracle(query):
    today_limit = TODAY + dt.timedelta(days=HORIZON)
    day_closed = query.on_leave or not TODAY <= query.date <= today_limit
    expected = []
    for window in query.windows:
        if day_closed or taken_in(query, window) >= window.capacity:
            continue
        for moment in window.candidates():
            if moment in query.taken:
                continue
            if query.date == TODAY and moment <= query.now.time():
                continue
            expected.append(moment)
    assert compute_slots(query).free == sorted(expected)


@PROPERTY_SETTINGS
@given(st.data())
def test_a_minute_after_the_last_slot_starts_nothing_of_that_window_is_listed(data):
    query = data.draw(slot_queries(windows=st.lists(a_window(), min_size=1, max_size=4)))
    window = data.draw(st.sampled_from(list(query.windows)))
    last = window.candidates()[-1]
    now = dt.datetime.combine(query.date, last) + dt.timedelta(minutes=1)
    late = SlotQuery(
        date=query.date,
        windows=query.windows,
        taken=query.taken,
        on_leave=False,
        now=now,
        horizon_days=HORIZON,
    )
    result = compute_slots(late)
    for moment in window.candidates():
        assert moment not in result.free
        expected = HiddenReason.BOOKED if moment in late.taken else HiddenReason.PAST_TIME
        assert result.hidden[moment] == expected
