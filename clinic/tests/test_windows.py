"""The weekly-window rules module alone: checks, its one error, overlaps, labels, clinic time."""

import datetime as dt
import itertools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error

from clinic.models import ClinicTimeSlot
from clinic.rules import clinic_now, clinic_today
from clinic.tests.factories import ClinicFactory, ClinicTimeSlotFactory
from clinic.windows import (
    END_NOT_AFTER_START,
    INVALID_WINDOW,
    InvalidWindow,
    check_window,
    first_overlap,
    overlapping,
    window_errors,
    window_label,
    windows_overlap,
)

NINE, ONE = dt.time(9), dt.time(13)
LONGER = "slot_duration_minutes cannot be longer than the window (10 minutes)."
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


def at(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def window(day: int, start: int, end: int) -> SimpleNamespace:
    return SimpleNamespace(day_of_week=day, start_time=at(start), end_time=at(end))


# --- one window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "duration", "errors"),
    [
        (NINE, ONE, 240, {}),
        (NINE, dt.time(9, 15), 15, {}),  # exactly one slot
        (ONE, NINE, 15, {"end_time": END_NOT_AFTER_START}),
        (NINE, NINE, 15, {"end_time": END_NOT_AFTER_START}),
        (NINE, dt.time(9, 10), 15, {"slot_duration_minutes": LONGER}),
        (ONE, NINE, 500, {"end_time": END_NOT_AFTER_START}),  # the first broken rule only
    ],
)
def test_window_errors_name_the_field_and_say_why(start, end, duration, errors):
    assert window_errors(start=start, end=end, duration=duration) == errors


def test_check_window_raises_one_error_with_field_messages_and_a_code():
    with pytest.raises(InvalidWindow) as caught:
        check_window(start=NINE, end=dt.time(9, 10), duration=15)

    assert caught.value.fields == {"slot_duration_minutes": [LONGER]}
    assert caught.value.code == INVALID_WINDOW == "invalid_window"
    assert [error.code for error in caught.value.error_dict["slot_duration_minutes"]] == [
        INVALID_WINDOW
    ]
    assert check_window(start=NINE, end=ONE, duration=15) is None


def test_the_error_renders_as_the_same_field_dict_in_a_serializer_a_service_and_a_form():
    class Window(serializers.Serializer):
        end_time = serializers.TimeField()

        def validate(self, attrs):
            check_window(start=NINE, end=attrs["end_time"], duration=15)
            return attrs

    class Form(forms.Form):
        end_time = forms.TimeField()

        def clean(self):
            check_window(start=NINE, end=self.cleaned_data["end_time"], duration=15)
            return self.cleaned_data

    expected = {"end_time": [END_NOT_AFTER_START]}
    by_serializer = Window(data={"end_time": "08:00"})
    assert not by_serializer.is_valid()
    assert by_serializer.errors == expected
    with pytest.raises(InvalidWindow) as by_service:
        check_window(start=NINE, end=dt.time(8), duration=15)
    assert as_serializer_error(by_service.value) == expected  # what the handler answers
    by_form = Form(data={"end_time": "08:00"})
    assert not by_form.is_valid()
    assert by_form.errors == expected


@given(minutes, minutes, st.integers(min_value=1, max_value=24 * 60))
def test_a_window_is_fine_exactly_when_it_holds_one_slot(start, end, duration):
    errors = window_errors(start=at(start), end=at(end), duration=duration)

    assert (errors == {}) == (start < end and start + duration <= end)
    assert set(errors) <= {"end_time", "slot_duration_minutes"}


def test_a_window_label_is_day_and_times():
    assert window_label(window(0, 9 * 60, 13 * 60)) == "Monday 09:00-13:00"
    assert window_label(window(6, 16 * 60 + 30, 19 * 60)) == "Sunday 16:30-19:00"


# --- overlaps --------------------------------------------------------------------------

windows = st.builds(
    lambda day, a, b: window(day, min(a, b), max(a, b)),
    st.integers(min_value=0, max_value=1),
    minutes,
    minutes,
).filter(lambda w: w.start_time < w.end_time)


def clash(a, b) -> bool:
    return a.day_of_week == b.day_of_week and windows_overlap(
        (a.start_time, a.end_time), (b.start_time, b.end_time)
    )


@given(st.lists(windows, max_size=8))
def test_first_overlap_finds_a_clash_exactly_when_some_pair_clashes(found):
    pair = first_overlap(found)

    assert (pair is not None) == any(clash(a, b) for a, b in itertools.combinations(found, 2))
    if pair is not None:
        assert clash(*pair)
        assert pair[0].start_time <= pair[1].start_time


def test_first_overlap_names_the_earlier_window_first_and_ignores_touching_ones():
    morning, noon, afternoon = window(0, 540, 780), window(0, 720, 900), window(0, 780, 1020)

    assert first_overlap([noon, morning]) == (morning, noon)
    assert first_overlap([morning, afternoon, window(1, 600, 700)]) is None
    assert first_overlap([]) is None


@pytest.mark.django_db
def test_the_overlap_filter_agrees_with_the_pure_rule():
    """Every active Monday window on an hourly grid of 00:00-05:00 against every other one."""
    clinic = ClinicFactory()
    grid = [(start, end) for start in range(5) for end in range(start + 1, 6)]
    rows = [
        ClinicTimeSlotFactory(
            clinic=clinic,
            start_time=dt.time(start),
            end_time=dt.time(end),
            slot_duration_minutes=15,
        )
        for start, end in grid
    ]
    ClinicTimeSlotFactory(clinic=clinic, start_time=dt.time(0), end_time=dt.time(5), day_of_week=1)
    ClinicTimeSlotFactory(
        clinic=clinic, start_time=dt.time(0), end_time=dt.time(5), is_active=False
    )

    for start, end in grid:
        probe = window(0, start * 60, end * 60)
        found = set(
            ClinicTimeSlot.objects.filter(overlapping(probe), clinic=clinic).values_list(
                "id", flat=True
            )
        )
        assert found == {row.id for row in rows if clash(probe, row)}, (start, end)


# --- clinic time -----------------------------------------------------------------------

IST = ZoneInfo("Asia/Kolkata")


def test_clinic_time_takes_a_clinic_or_its_zone_name():
    utc = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    dubai = SimpleNamespace(timezone="Asia/Dubai")

    assert clinic_now("Asia/Kolkata", utc) == dt.datetime(2026, 12, 2, 5, 0, tzinfo=IST)
    assert clinic_today("Asia/Kolkata", utc) == dt.date(2026, 12, 2)
    assert clinic_today(dubai, utc) == dt.date(2026, 12, 2)  # 03:30 there
    assert clinic_today("America/New_York", utc) == dt.date(2026, 12, 1)


def test_clinic_time_defaults_to_this_moment(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC), tick=False)

    assert clinic_today("Asia/Kolkata") == dt.date(2026, 12, 2)
    assert clinic_now("UTC").hour == 20
