"""Pure rules (windows, time zones) and the idempotent demo seed."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
from clinic.rules import is_known_timezone
from clinic.windows import window_errors, windows_overlap
from demo.seed_clinics import seed_clinics
from demo.seed_users import seed_users
from doctors.models import DoctorProfile
from users.models import User

times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def test_window_rules():
    nine, one = dt.time(9), dt.time(13)
    assert window_errors(start=nine, end=one, duration=240) == {}
    assert "end_time" in window_errors(start=one, end=nine, duration=15)
    assert "end_time" in window_errors(start=nine, end=nine, duration=15)
    assert "slot_duration_minutes" in window_errors(start=nine, end=one, duration=241)


@given(times, times, times, times)
def test_overlap_is_symmetric_and_matches_minute_sets(a1, a2, b1, b2):
    assume(a1 != a2 and b1 != b2)  # a valid window is never empty
    a, b = (min(a1, a2), max(a1, a2)), (min(b1, b2), max(b1, b2))

    def minutes(window):
        return set(
            range(window[0].hour * 60 + window[0].minute, window[1].hour * 60 + window[1].minute)
        )

    assert windows_overlap(a, b) == windows_overlap(b, a)
    assert windows_overlap(a, b) == bool(minutes(a) & minutes(b))


@pytest.mark.parametrize(
    ("name", "known"),
    [("Asia/Kolkata", True), ("Europe/London", True), ("Mars/Base", False), ("", False)],
)
def test_time_zone_names(name, known):
    assert is_known_timezone(name) is known


@pytest.mark.django_db
def test_the_demo_seed_is_idempotent_and_browsable(api_client):
    seed_users()
    first = seed_clinics()
    counts = (
        Clinic.objects.count(),
        ClinicMember.objects.count(),
        ClinicTimeSlot.objects.count(),
        User.objects.count(),
        DoctorProfile.objects.count(),
    )

    second = seed_clinics()

    assert first == second
    assert counts == (
        Clinic.objects.count(),
        ClinicMember.objects.count(),
        ClinicTimeSlot.objects.count(),
        User.objects.count(),
        DoctorProfile.objects.count(),
    )
    assert counts[:2] == (2, 4)
    rows = api_client.get("/api/clinics/public/").json()
    assert {(row["city"], row["doctor_count"], row["staff_count"]) for row in rows} == {
        ("Jaipur", 1, 1),
        ("Pune", 1, 1),
    }
    owner = User.objects.get(contact="+919876500010")
    assert owner.check_password("Quick@Care2026")
    assert owner.owned_clinics.count() == 2
