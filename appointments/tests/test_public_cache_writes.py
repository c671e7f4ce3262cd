"""Every write that can change a cached public read makes it answer anew (core.response_cache).

Each test reads (twice: the second read must be served from the cache, 0 SQL statements, or
the test would pass without a cache), writes through the API, and reads again expecting the
change. Writes run their after-commit callbacks, as in production.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.models import Appointment
from appointments.tests.conftest import NEXT_MONDAY, booking_body
from appointments.tests.factories import AppointmentFactory
from clinic.models import ClinicMember
from clinic.tests.factories import ClinicMemberFactory, ClinicTimeSlotFactory
from doctors.tests.factories import DoctorLeaveFactory, DoctorProfileFactory

pytestmark = pytest.mark.django_db

DOCTORS = "/api/doctors/"
CLINICS = "/api/clinics/public/"


def slots_url(doctor) -> str:
    return f"/api/doctors/{doctor.pk}/availability/slots/"


@pytest.fixture
def cached_read() -> Callable[..., Any]:
    """cached_read(url, **params) -> the body, after proving a repeat is a cache hit."""
    anonymous = APIClient()

    def read(url: str, **params: Any) -> Any:
        first = anonymous.get(url, params)
        assert first.status_code == 200, first.content
        with CaptureQueriesContext(connection) as queries:
            again = anonymous.get(url, params)
        assert len(queries) == 0, [query["sql"] for query in queries]
        assert again.content == first.content
        return again.json()

    return read


@pytest.fixture
def write(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """write(client.method, url, body) -> the response, after-commit callbacks run."""

    def do(method: Callable[..., Any], url: str, body: Any = None, status: int = 200) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = method(url, body, format="json") if body is not None else method(url)
        assert response.status_code == status, response.content
        return response

    return do


def names(body: list[dict[str, Any]]) -> list[str]:
    return [row["user"]["name"] for row in body]


def free(cached_read, doctor, date=NEXT_MONDAY) -> list[str]:
    return cached_read(slots_url(doctor), date=date.isoformat())["available_slots"]


# --- the directory ----------------------------------------------------------------------------


def test_a_profile_update_shows_in_the_list_and_detail(
    clock, cached_read, write, client_for, doctor, doctor_profile
):
    assert cached_read(DOCTORS)[0]["specialty"] == "cardiology"
    assert cached_read(f"{DOCTORS}{doctor_profile.pk}/")["specialty"] == "cardiology"
    write(client_for(doctor).patch, "/api/doctors/me/", {"specialty": "neurology"})
    assert cached_read(DOCTORS)[0]["specialty"] == "neurology"
    assert cached_read(f"{DOCTORS}{doctor_profile.pk}/")["specialty"] == "neurology"
    assert cached_read(DOCTORS, specialty="neurology")[0]["id"] == doctor_profile.pk


def test_a_doctors_name_change_shows_in_the_list(clock, cached_read, doctor, doctor_profile):
    assert names(cached_read(DOCTORS)) == ["Dr. Suresh Yadav"]
    doctor.name = "Dr. Suresh K. Yadav"
    doctor.save(update_fields=["name"])
    assert names(cached_read(DOCTORS)) == ["Dr. Suresh K. Yadav"]


def test_adding_a_doctor_member_lists_them_and_counts_them(
    clock, cached_read, write, client_for, clinic, doctor_profile
):
    assert names(cached_read(DOCTORS)) == ["Dr. Suresh Yadav"]
    assert cached_read(f"/api/clinics/{clinic.pk}/")["doctor_count"] == 1
    body = {"contact": 9988776655, "name": "Dr. Anjali Mehta", "member_role": "doctor"}
    write(client_for(clinic.owner).post, f"/api/clinics/{clinic.pk}/members/", body, 201)
    assert names(cached_read(DOCTORS)) == ["Dr. Anjali Mehta", "Dr. Suresh Yadav"]
    assert cached_read(f"/api/clinics/{clinic.pk}/")["doctor_count"] == 2
    assert [row["doctor_count"] for row in cached_read(CLINICS)] == [2]


def test_removing_a_doctor_member_drops_them_and_their_slots(
    clock, cached_read, write, client_for, clinic, doctor_profile, monday_window
):
    assert names(cached_read(DOCTORS)) == ["Dr. Suresh Yadav"]
    assert free(cached_read, doctor_profile)[:1] == ["09:00"]
    member = ClinicMember.objects.get(user=doctor_profile.user)
    url = f"/api/clinics/{clinic.pk}/members/{member.pk}/"
    write(client_for(clinic.owner).delete, url, status=204)
    assert cached_read(DOCTORS) == []
    assert APIClient().get(slots_url(doctor_profile), {"date": NEXT_MONDAY}).status_code == 404


def test_a_clinic_update_shows_in_the_clinic_reads_and_the_directory(
    clock, cached_read, write, client_for, clinic, doctor_profile
):
    assert cached_read(CLINICS)[0]["name"] == "City Care Clinic"
    assert cached_read(f"/api/clinics/{clinic.pk}/")["name"] == "City Care Clinic"
    assert cached_read(DOCTORS)[0]["clinics"][0]["clinic_name"] == "City Care Clinic"
    write(client_for(clinic.owner).patch, f"/api/clinics/{clinic.pk}/", {"name": "CityCare+"})
    assert cached_read(CLINICS)[0]["name"] == "CityCare+"
    assert cached_read(f"/api/clinics/{clinic.pk}/")["name"] == "CityCare+"
    assert cached_read(DOCTORS)[0]["clinics"][0]["clinic_name"] == "CityCare+"


def test_closing_a_clinic_hides_it_and_its_doctors(
    clock, cached_read, write, client_for, clinic, doctor_profile
):
    assert len(cached_read(CLINICS)) == 1
    assert len(cached_read(DOCTORS)) == 1
    cached_read(f"/api/clinics/{clinic.pk}/")
    write(client_for(clinic.owner).delete, f"/api/clinics/{clinic.pk}/", status=204)
    assert cached_read(CLINICS) == []
    assert cached_read(DOCTORS) == []
    assert APIClient().get(f"/api/clinics/{clinic.pk}/").status_code == 404


def test_reopening_a_clinic_shows_it_again(clock, cached_read, write, client_for, clinic):
    write(client_for(clinic.owner).delete, f"/api/clinics/{clinic.pk}/", status=204)
    assert cached_read(CLINICS) == []
    write(client_for(clinic.owner).patch, f"/api/clinics/{clinic.pk}/", {"is_active": True})
    assert [row["id"] for row in cached_read(CLINICS)] == [str(clinic.pk)]


# --- clinic windows ---------------------------------------------------------------------------


def test_clinic_window_create_update_delete_show_in_its_list_and_the_fallback_slots(
    clock, cached_read, write, client_for, clinic, doctor_profile
):
    windows = f"/api/clinics/{clinic.pk}/slots/"
    owner = client_for(clinic.owner)
    assert cached_read(windows) == []
    assert free(cached_read, doctor_profile) == []  # no windows of his own, none of the clinic
    body = {
        "day_of_week": 0,
        "start_time": "09:00",
        "end_time": "10:00",
        "slot_duration_minutes": 30,
        "max_appointments": 5,
    }
    window = write(owner.post, windows, body, 201).json()
    assert [row["id"] for row in cached_read(windows)] == [window["id"]]
    assert free(cached_read, doctor_profile) == ["09:00", "09:30"]

    write(owner.patch, f"{windows}{window['id']}/", {"end_time": "11:00"})
    assert cached_read(windows)[0]["end_time"] == "11:00"
    assert cached_read(f"{windows}{window['id']}/")["end_time"] == "11:00"
    assert free(cached_read, doctor_profile) == ["09:00", "09:30", "10:00", "10:30"]

    write(owner.delete, f"{windows}{window['id']}/", status=204)
    assert cached_read(windows) == []
    assert free(cached_read, doctor_profile) == []


# --- the doctor's own schedule ----------------------------------------------------------------


def test_availability_create_update_delete_show_in_the_slots(
    clock, cached_read, write, client_for, doctor, doctor_profile, clinic
):
    doctor_client = client_for(doctor)
    assert free(cached_read, doctor_profile) == []
    body = {
        "clinic": str(clinic.pk),
        "day": "monday",
        "start_time": "09:00",
        "end_time": "10:00",
        "slot_duration_minutes": 30,
        "max_patients": 5,
    }
    base = f"/api/doctors/{doctor_profile.pk}/availability/"
    row = write(doctor_client.post, base, body, 201).json()
    assert free(cached_read, doctor_profile) == ["09:00", "09:30"]
    write(doctor_client.patch, f"{base}{row['id']}/", {"end_time": "09:30"})
    assert free(cached_read, doctor_profile) == ["09:00"]
    write(doctor_client.delete, f"{base}{row['id']}/", status=204)
    assert free(cached_read, doctor_profile) == []


def test_leave_create_and_delete_show_in_the_slots(
    clock, cached_read, write, client_for, doctor, doctor_profile, monday_window
):
    doctor_client = client_for(doctor)
    assert free(cached_read, doctor_profile)[:1] == ["09:00"]
    day = NEXT_MONDAY.isoformat()
    body = {"start_date": day, "end_date": day, "reason": "Conference"}
    leave = write(doctor_client.post, "/api/doctors/me/leaves/", body, 201).json()
    assert free(cached_read, doctor_profile) == []
    write(doctor_client.delete, f"/api/doctors/me/leaves/{leave['id']}/", status=204)
    assert free(cached_read, doctor_profile)[:1] == ["09:00"]


def test_a_leave_at_another_date_leaves_other_dates_correct(
    clock, cached_read, doctor_profile, monday_window
):
    later = NEXT_MONDAY + dt.timedelta(days=7)
    assert free(cached_read, doctor_profile, later)[:1] == ["09:00"]
    DoctorLeaveFactory(doctor=doctor_profile, clinic=None, start_date=later, end_date=later)
    assert free(cached_read, doctor_profile, later) == []
    assert free(cached_read, doctor_profile)[:1] == ["09:00"]


# --- bookings ---------------------------------------------------------------------------------


def test_a_booking_takes_its_slot_and_a_cancellation_frees_it(
    clock, cached_read, write, client_for, patient, doctor_profile, monday_window
):
    assert "09:30" in free(cached_read, doctor_profile)
    booked = write(
        client_for(patient).post, "/api/appointments/my/", booking_body(doctor_profile.pk), 201
    ).json()
    assert "09:30" not in free(cached_read, doctor_profile)
    body = {"status": "cancelled", "cancellation_reason": "Travelling"}
    write(client_for(patient).patch, f"/api/appointments/my/{booked['id']}/", body)
    assert "09:30" in free(cached_read, doctor_profile)


def test_a_doctors_cancellation_frees_the_slot(
    clock, cached_read, write, client_for, patient, doctor, doctor_profile, clinic, monday_window
):
    appointment = AppointmentFactory(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(9, 30),
        status="confirmed",
    )
    assert "09:30" not in free(cached_read, doctor_profile)
    url = f"/api/appointments/doctor/{appointment.pk}/"
    write(client_for(doctor).patch, url, {"status": "cancelled"})
    assert "09:30" in free(cached_read, doctor_profile)


def test_a_booking_changes_only_its_own_doctor_and_date(
    clock, cached_read, write, client_for, patient, doctor_profile, clinic, monday_window
):
    later = NEXT_MONDAY + dt.timedelta(days=7)
    other = DoctorProfileFactory(user__name="Dr. Other")
    ClinicMemberFactory(clinic=clinic, user=other.user, member_role="doctor")
    ClinicTimeSlotFactory(clinic=clinic)  # the other doctor falls back on the clinic's window
    free(cached_read, doctor_profile, later)
    free(cached_read, other)
    write(client_for(patient).post, "/api/appointments/my/", booking_body(doctor_profile.pk), 201)
    anonymous = APIClient()
    for doctor, date in ((doctor_profile, later), (other, NEXT_MONDAY)):
        with CaptureQueriesContext(connection) as queries:
            anonymous.get(slots_url(doctor), {"date": date.isoformat()})
        assert len(queries) == 0  # still served from the cache
    assert "09:30" not in free(cached_read, doctor_profile)


def test_a_date_written_without_zero_padding_reads_the_same_version(
    clock, cached_read, doctor_profile, patient, clinic, monday_window
):
    unpadded = f"{NEXT_MONDAY.year}-{NEXT_MONDAY.month}-{NEXT_MONDAY.day}"
    assert unpadded != NEXT_MONDAY.isoformat()
    assert "09:30" in cached_read(slots_url(doctor_profile), date=unpadded)["available_slots"]
    Appointment.objects.create(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(9, 30),
    )
    assert "09:30" not in cached_read(slots_url(doctor_profile), date=unpadded)["available_slots"]


# --- waitlist holds ---------------------------------------------------------------------------


@pytest.fixture
def held_after_cancel(clock, write, client_for, doctor, doctor_profile, clinic, monday_window):
    """A confirmed 09:30 cancelled by the doctor while another patient waits for exactly that
    time: the waitlist holds it for them (`WAITLIST_HOLD_MINUTES`)."""
    from appointments.waitlist.models import WaitlistEntry
    from users.tests.factories import PatientFactory

    appointment = AppointmentFactory(
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(9, 30),
        status="confirmed",
    )
    entry = WaitlistEntry.objects.create(
        patient=PatientFactory(),
        doctor=doctor_profile,
        clinic=clinic,
        date=NEXT_MONDAY,
        from_time=dt.time(9, 30),
        to_time=dt.time(9, 30),
    )
    write(
        client_for(doctor).patch,
        f"/api/appointments/doctor/{appointment.pk}/",
        {"status": "cancelled"},
    )
    entry.refresh_from_db()
    assert entry.status == "offered"
    return entry


def test_a_held_slot_is_hidden_and_shows_again_when_the_hold_runs_out(
    clock_driven_cache, clock, settings, cached_read, doctor_profile, held_after_cancel
):
    settings.RESPONSE_CACHE_TTL_SECONDS = 86400  # only the hold's end may end this answer
    assert "09:30" not in free(cached_read, doctor_profile)
    clock.move_to(held_after_cancel.offer_expires_at + dt.timedelta(seconds=1))
    assert "09:30" in free(cached_read, doctor_profile)


def test_a_declined_hold_frees_the_slot_in_the_cached_listing(
    cached_read, write, client_for, doctor_profile, held_after_cancel
):
    assert "09:30" not in free(cached_read, doctor_profile)
    url = f"/api/appointments/waitlist/{held_after_cancel.pk}/decline/"
    write(client_for(held_after_cancel.patient).post, url, {})
    assert "09:30" in free(cached_read, doctor_profile)
