"""Time is unambiguous: every appointment payload carries `starts_at` (ISO 8601 with the
clinic's UTC offset) and the clinic's `timezone` beside the local date and `HH:MM`; the API's
other datetimes stay UTC while the admin shows them in TIME_ZONE (Asia/Kolkata by default)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from appointments.tests.conftest import NEXT_MONDAY
from appointments.tests.factories import AppointmentFactory, AppointmentStatusChangeFactory

pytestmark = pytest.mark.django_db

# 9 March 2026 09:30 in each zone; New York has been on daylight time (UTC-4) since the 8th.
ZONES = [
    ("Asia/Kolkata", "2026-03-09T09:30:00+05:30"),
    ("America/New_York", "2026-03-09T09:30:00-04:00"),
    ("Europe/London", "2026-03-09T09:30:00+00:00"),
]


@pytest.fixture(params=ZONES, ids=[zone for zone, _ in ZONES])
def zoned(request, clock, clinic, patient, doctor_profile):
    """(appointment on 9 March at 09:30 in a clinic of the zone, the expected starts_at)."""
    zone, starts_at = request.param
    clinic.timezone = zone
    clinic.save(update_fields=["timezone"])
    appointment = AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    return appointment, starts_at


def assert_unambiguous(row: dict, appointment, starts_at: str) -> None:
    assert row["id"] == appointment.pk
    assert (row["appointment_date"], row["appointment_time"]) == ("2026-03-09", "09:30")
    assert row["starts_at"] == starts_at
    assert row["timezone"] == appointment.clinic.timezone


def test_the_patient_list_and_detail_carry_starts_at(client_for, patient, zoned):
    appointment, starts_at = zoned
    client = client_for(patient)

    assert_unambiguous(client.get("/api/appointments/my/").json()[0], appointment, starts_at)
    detail = client.get(f"/api/appointments/my/{appointment.pk}/").json()
    assert_unambiguous(detail, appointment, starts_at)


def test_the_doctor_list_and_detail_carry_starts_at(client_for, doctor, zoned):
    appointment, starts_at = zoned
    client = client_for(doctor)

    assert_unambiguous(client.get("/api/appointments/doctor/").json()[0], appointment, starts_at)
    detail = client.get(f"/api/appointments/doctor/{appointment.pk}/").json()
    assert_unambiguous(detail, appointment, starts_at)


def test_the_doctor_update_answers_with_starts_at(client_for, doctor, zoned):
    appointment, starts_at = zoned

    response = client_for(doctor).patch(
        f"/api/appointments/doctor/{appointment.pk}/", {"status": "confirmed"}, format="json"
    )

    assert_unambiguous(response.json(), appointment, starts_at)


def test_the_dashboard_rows_carry_starts_at(client_for, clinic_owner, clinic, zoned):
    appointment, starts_at = zoned

    response = client_for(clinic_owner).get(
        f"/api/appointments/clinic/{clinic.pk}/dashboard/", {"date": "2026-03-09"}
    )

    assert response.json()["clinic"]["timezone"] == clinic.timezone
    assert_unambiguous(response.json()["appointments"][0], appointment, starts_at)


@pytest.mark.parametrize(("zone", "starts_at"), ZONES)
def test_the_booking_answers_with_starts_at(book, patient, clinic, zone, starts_at):
    clinic.timezone = zone
    clinic.save(update_fields=["timezone"])

    response = book(patient)

    assert response.status_code == 201, response.json()
    assert response.json()["starts_at"] == starts_at
    assert response.json()["timezone"] == zone


def test_the_offset_is_the_one_in_force_on_the_appointments_date(
    client_for, clock, clinic, patient, doctor_profile
):
    """New York moves to daylight time on 8 March 2026: the 2nd is -05:00, the 9th -04:00."""
    clinic.timezone = "America/New_York"
    clinic.save(update_fields=["timezone"])
    for date in (dt.date(2026, 3, 2), NEXT_MONDAY):
        AppointmentFactory(
            patient=patient, doctor=doctor_profile, clinic=clinic, appointment_date=date
        )

    rows = client_for(patient).get("/api/appointments/my/").json()

    assert [row["starts_at"] for row in rows] == [
        "2026-03-02T09:30:00-05:00",
        "2026-03-09T09:30:00-04:00",
    ]


# --- TIME_ZONE: the admin's clock, not the API's ----------------------------------------------


def test_time_zone_defaults_to_india():
    from quickcare import settings as production

    assert production.TIME_ZONE == "Asia/Kolkata"
    assert production.USE_TZ is True


def test_api_datetimes_stay_utc(book, patient, settings):
    assert settings.TIME_ZONE == "Asia/Kolkata"

    body = book(patient).json()

    assert body["created_at"] == "2026-03-02T02:30:00Z"  # 08:00 in Jaipur
    assert body["history"][0]["changed_at"] == "2026-03-02T02:30:00Z"
    assert body["starts_at"] == "2026-03-09T09:30:00+05:30"


@pytest.fixture
def admin_client(superadmin):
    client = Client()
    client.force_login(superadmin)
    return client


def test_the_admin_shows_times_in_time_zone(admin_client, patient, doctor_profile, clinic):
    clinic.timezone = "Asia/Tokyo"
    clinic.save(update_fields=["timezone"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC), tick=False):
        appointment = AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
        AppointmentStatusChangeFactory(appointment=appointment, actor=patient)

    page = admin_client.get(f"/admin/appointments/appointment/{appointment.pk}/change/")
    listing = admin_client.get("/admin/appointments/appointment/")

    assert page.status_code == 200
    # Created at 02:30 UTC: 8 a.m. in Asia/Kolkata, for the record and its history row.
    assert page.text.count("March 2, 2026, 8 a.m.") == 3  # created, updated, changed
    assert "2:30 a.m." not in page.text
    # 09:30 in Tokyo is 6 a.m. in Asia/Kolkata; the clinic's zone is named beside it.
    assert "March 9, 2026, 6 a.m." in page.text
    assert "Asia/Tokyo" in page.text
    assert "March 9, 2026, 6 a.m." in listing.text
