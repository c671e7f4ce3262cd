"""The slot engine, rule by rule: pure `compute_slots`, then `doctor_free_slots` on the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appointments.slots import doctor_free_slots
from clinic.rules import clinic_now as clinic_local_now
from clinic.rules import clinic_today as clinic_local_today
from clinic.tests.factories import ClinicTimeSlotFactory
from doctors.slot_engine import HiddenReason, SlotQuery, Window, compute_slots
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorLeaveFactory

MONDAY = dt.date(2026, 11, 30)
BEFORE = dt.datetime(2026, 11, 26, 10, 0)  # the Thursday before, clinic-local
IST = ZoneInfo("Asia/Kolkata")


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def hhmm(times) -> list[str]:
    return [moment.strftime("%H:%M") for moment in times]


def window(start="09:00", end="10:00", minutes=15, capacity=20) -> Window:
    return Window(start=t(start), end=t(end), duration_minutes=minutes, capacity=capacity)


def query(**overrides) -> SlotQuery:
    values = {
        "date": MONDAY,
        "windows": [window()],
        "taken": set(),
        "on_leave": False,
        "now": BEFORE,
        "horizon_days": 90,
    }
    values.update(overrides)
    return SlotQuery(**values)


# --- windows ---------------------------------------------------------------------------


def test_candidates_step_by_duration_while_the_slot_fits():
    result = compute_slots(query(windows=[window("09:00", "10:10", 20)]))
    assert hhmm(result.free) == ["09:00", "09:20", "09:40"]  # 10:00 + 20 > 10:10


def test_no_windows_means_no_slots():
    result = compute_slots(query(windows=[]))
    assert result.free == []
    assert result.hidden == {}


def test_several_windows_are_merged_in_time_order():
    later = window("14:00", "15:00", 30)
    earlier = window("09:00", "10:00", 30)
    result = compute_slots(query(windows=[later, earlier]))
    assert hhmm(result.free) == ["09:00", "09:30", "14:00", "14:30"]
    assert result.window_of[t("14:30")] is later


def test_overlapping_windows_list_a_time_once_and_the_earlier_window_owns_it():
    first = window("09:00", "10:00", 30)
    second = window("09:30", "10:30", 30)
    result = compute_slots(query(windows=[second, first]))
    assert hhmm(result.free) == ["09:00", "09:30", "10:00"]
    assert result.window_of[t("09:30")] is first


def test_a_zero_duration_window_yields_nothing_instead_of_looping():
    assert window(minutes=0).candidates() == []


def test_window_ending_at_midnight_stops_at_the_last_fitting_slot():
    result = compute_slots(query(windows=[window("23:00", "23:59", 30)]))
    assert hhmm(result.free) == ["23:00"]


# --- removals --------------------------------------------------------------------------


def test_taken_times_are_hidden_as_booked():
    result = compute_slots(query(taken={t("09:15")}))
    assert hhmm(result.free) == ["09:00", "09:30", "09:45"]
    assert result.hidden == {t("09:15"): HiddenReason.BOOKED}
    assert not result.is_free(t("09:15"))
    assert result.is_free(t("09:30"))


def test_leave_hides_the_whole_day():
    result = compute_slots(query(on_leave=True))
    assert result.free == []
    assert set(result.hidden.values()) == {HiddenReason.ON_LEAVE}
    assert len(result.hidden) == 4


def test_a_past_date_lists_nothing():
    result = compute_slots(query(date=dt.date(2026, 11, 25)))
    assert result.free == []
    assert set(result.hidden.values()) == {HiddenReason.PAST_DATE}


def test_times_already_past_today_are_hidden_including_the_current_minute():
    now = dt.datetime(2026, 11, 30, 9, 15)
    result = compute_slots(query(now=now))
    assert hhmm(result.free) == ["09:30", "09:45"]
    assert result.hidden == {t("09:00"): HiddenReason.PAST_TIME, t("09:15"): HiddenReason.PAST_TIME}


def test_an_aware_now_is_read_in_its_own_local_time():
    now = dt.datetime(2026, 11, 30, 9, 20, tzinfo=IST)
    assert hhmm(compute_slots(query(now=now)).free) == ["09:30", "09:45"]


def test_the_horizon_day_is_bookable_and_the_day_after_is_not():
    today = BEFORE.date()
    last = today + dt.timedelta(days=90)
    assert compute_slots(query(date=last, windows=[window()])).free
    beyond = compute_slots(query(date=last + dt.timedelta(days=1)))
    assert beyond.free == []
    assert set(beyond.hidden.values()) == {HiddenReason.BEYOND_HORIZON}


def test_a_full_window_hides_its_remaining_times_but_not_other_windows():
    small = window("09:00", "10:00", 15, capacity=2)
    other = window("11:00", "11:30", 15, capacity=5)
    result = compute_slots(query(windows=[small, other], taken={t("09:00"), t("09:30")}))
    assert hhmm(result.free) == ["11:00", "11:15"]
    assert result.hidden == {
        t("09:00"): HiddenReason.BOOKED,
        t("09:15"): HiddenReason.WINDOW_FULL,
        t("09:30"): HiddenReason.BOOKED,
        t("09:45"): HiddenReason.WINDOW_FULL,
    }


def test_a_window_below_capacity_lists_every_free_time():
    result = compute_slots(query(windows=[window(capacity=2)], taken={t("09:00")}))
    assert hhmm(result.free) == ["09:15", "09:30", "09:45"]


def test_a_taken_time_off_the_grid_still_uses_capacity():
    result = compute_slots(query(windows=[window(capacity=1)], taken={t("09:07")}))
    assert result.free == []
    assert set(result.hidden.values()) == {HiddenReason.WINDOW_FULL}


# --- gathering inputs from the database ------------------------------------------------


@pytest.fixture
def now_before():
    return dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC)  # 10:00 IST, Thursday


def test_doctor_windows_are_used_at_their_clinic(
    db, doctor_profile, clinic, monday_window, clinic_monday_slot, taken_times, now_before
):
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert len(result.free) == 16
    assert hhmm(result.free)[:3] == ["09:00", "09:15", "09:30"]
    assert result.window_of[t("09:00")].source == f"availability:{monday_window.pk}"


def test_a_weekday_without_doctor_windows_is_empty_even_if_the_clinic_is_open(
    db, doctor_profile, clinic, monday_window, taken_times, now_before
):
    ClinicTimeSlotFactory(clinic=clinic, day_of_week=1)
    tuesday = MONDAY + dt.timedelta(days=1)
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=tuesday, now=now_before
    )
    assert result.free == []


def test_without_any_availability_at_the_clinic_the_clinic_slots_are_used(
    db, doctor_profile, clinic, clinic_monday_slot, taken_times, now_before
):
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert hhmm(result.free) == ["10:00", "10:30", "11:00", "11:30"]
    assert result.window_of[t("10:00")].capacity == 10


def test_availability_at_another_clinic_does_not_stop_the_fallback(
    db, doctor_profile, clinic, other_clinic, clinic_monday_slot, taken_times, now_before
):
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=other_clinic, day_of_week=0)
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert hhmm(result.free) == ["10:00", "10:30", "11:00", "11:30"]


def test_only_inactive_availability_at_the_clinic_falls_back_to_clinic_slots(
    db, doctor_profile, clinic, clinic_monday_slot, taken_times, now_before
):
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, is_active=False)
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert hhmm(result.free) == ["10:00", "10:30", "11:00", "11:30"]


def test_inactive_clinic_slots_are_not_used(
    db, doctor_profile, clinic, clinic_monday_slot, taken_times, now_before
):
    clinic_monday_slot.is_active = False
    clinic_monday_slot.save()
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert result.free == []


def test_taken_times_come_from_the_registered_provider(
    db, doctor_profile, clinic, monday_window, taken_times, now_before
):
    taken_times[(doctor_profile.pk, MONDAY)] = [t("09:00"), t("12:45")]
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert result.hidden == {t("09:00"): HiddenReason.BOOKED, t("12:45"): HiddenReason.BOOKED}
    assert len(result.free) == 14


def test_a_leave_at_this_clinic_hides_the_day(
    db, doctor_profile, clinic, monday_window, taken_times, now_before
):
    DoctorLeaveFactory(doctor=doctor_profile, clinic=clinic, start_date=MONDAY, end_date=MONDAY)
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert result.free == []
    assert set(result.hidden.values()) == {HiddenReason.ON_LEAVE}


def test_an_all_clinics_leave_spanning_the_date_hides_the_day(
    db, doctor_profile, clinic, monday_window, taken_times, now_before
):
    DoctorLeaveFactory(
        doctor=doctor_profile,
        clinic=None,
        start_date=MONDAY - dt.timedelta(days=2),
        end_date=MONDAY + dt.timedelta(days=2),
    )
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert result.free == []


def test_a_leave_at_another_clinic_or_on_other_days_does_not_hide_the_day(
    db, doctor_profile, clinic, other_clinic, monday_window, taken_times, now_before
):
    DoctorLeaveFactory(
        doctor=doctor_profile, clinic=other_clinic, start_date=MONDAY, end_date=MONDAY
    )
    DoctorLeaveFactory(
        doctor=doctor_profile,
        clinic=None,
        start_date=MONDAY + dt.timedelta(days=1),
        end_date=MONDAY + dt.timedelta(days=3),
    )
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert len(result.free) == 16


def test_another_doctors_leave_does_not_matter(
    db, doctor_profile, other_doctor_profile, clinic, monday_window, taken_times, now_before
):
    DoctorLeaveFactory(doctor=other_doctor_profile, clinic=None, start_date=MONDAY, end_date=MONDAY)
    result = doctor_free_slots(
        doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before
    )
    assert len(result.free) == 16


def test_clinic_local_now_converts_utc_to_the_clinic_timezone(clinic):
    utc = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    assert clinic_local_now(clinic, utc) == dt.datetime(2026, 12, 2, 5, 0, tzinfo=IST)
    assert clinic_local_today(clinic, utc) == dt.date(2026, 12, 2)


def test_gathering_runs_a_bounded_number_of_queries(
    db, doctor_profile, clinic, monday_window, taken_times, now_before, django_assert_num_queries
):
    with django_assert_num_queries(1):  # windows with leave (this provider makes no query)
        doctor_free_slots(doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY, now=now_before)
