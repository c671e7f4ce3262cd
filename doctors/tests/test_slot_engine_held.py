"""The engine's `held` reason: a time a waitlist offer holds is hidden from everyone else and
counts against its window's capacity like a booking (so the holder can still book it)."""

from doctors.slot_engine import HiddenReason, compute_slots
from doctors.tests.test_slot_engine import hhmm, query, t, window


def test_a_held_time_is_hidden_as_held():
    result = compute_slots(query(held={t("09:15")}))
    assert hhmm(result.free) == ["09:00", "09:30", "09:45"]
    assert result.hidden == {t("09:15"): HiddenReason.HELD}


def test_booked_wins_over_held():
    result = compute_slots(query(taken={t("09:15")}, held={t("09:15")}))
    assert result.hidden == {t("09:15"): HiddenReason.BOOKED}


def test_a_hold_uses_capacity_once():
    # One booking and one hold fill a window of two; a time both taken and held counts once.
    full = compute_slots(query(windows=[window(capacity=2)], taken={t("09:00")}, held={t("09:30")}))
    assert full.free == []
    assert full.hidden[t("09:15")] == HiddenReason.WINDOW_FULL
    once = compute_slots(query(windows=[window(capacity=2)], taken={t("09:00")}, held={t("09:00")}))
    assert hhmm(once.free) == ["09:15", "09:30", "09:45"]


def test_without_holds_nothing_changes():
    assert compute_slots(query()).free == compute_slots(query(held=())).free
