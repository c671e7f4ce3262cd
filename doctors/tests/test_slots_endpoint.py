"""GET /api/doctors/<id>/availability/slots/: the slot engine as the client sees it."""

import datetime as dt
import uuid

import pytest
import time_machine

from clinic.tests.factories import ClinicFactory, ClinicMemberFactory, ClinicTimeSlotFactory
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorLeaveFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC)  # Thursday 10:00 in Jaipur
MONDAY = "2026-11-30"


def url(doctor) -> str:
    return f"/api/doctors/{doctor.pk}/availability/slots/"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def short_monday(doctor_profile, clinic):
    return DoctorAvailabilityFactory(
        doctor=doctor_profile, clinic=clinic, day_of_week=0, end_time=dt.time(10, 0)
    )


def test_lists_free_times_in_the_spec_shape(api_client, doctor_profile, short_monday, taken_times):
    response = api_client.get(url(doctor_profile), {"date": MONDAY})
    assert response.status_code == 200
    assert response.json() == {
        "doctor": doctor_profile.pk,
        "date": MONDAY,
        "available_slots": ["09:00", "09:15", "09:30", "09:45"],
    }


def test_clinic_id_selects_the_clinic(
    api_client, doctor_profile, clinic, short_monday, taken_times
):
    response = api_client.get(url(doctor_profile), {"date": MONDAY, "clinic_id": str(clinic.pk)})
    assert response.json()["available_slots"] == ["09:00", "09:15", "09:30", "09:45"]


def test_explain_gives_the_reason_for_each_hidden_time(
    api_client, doctor_profile, short_monday, taken_times
):
    taken_times[(doctor_profile.pk, dt.date(2026, 11, 30))] = [dt.time(9, 15)]
    response = api_client.get(url(doctor_profile), {"date": MONDAY, "explain": "true"})
    assert response.json() == {
        "doctor": doctor_profile.pk,
        "date": MONDAY,
        "available_slots": ["09:00", "09:30", "09:45"],
        "hidden": [{"time": "09:15", "reason": "booked"}],
        "reason": None,
    }


def test_explain_on_leave(api_client, doctor_profile, short_monday, taken_times):
    DoctorLeaveFactory(
        doctor=doctor_profile,
        clinic=None,
        start_date=dt.date(2026, 11, 30),
        end_date=dt.date(2026, 11, 30),
    )
    body = api_client.get(url(doctor_profile), {"date": MONDAY, "explain": "1"}).json()
    assert body["available_slots"] == []
    assert {row["reason"] for row in body["hidden"]} == {"on_leave"}
    assert len(body["hidden"]) == 4


def test_past_dates_and_beyond_the_horizon_list_nothing(
    api_client, doctor_profile, short_monday, taken_times
):
    past = api_client.get(url(doctor_profile), {"date": "2026-11-23", "explain": "true"}).json()
    assert past["available_slots"] == []
    assert {row["reason"] for row in past["hidden"]} == {"past_date"}
    far = api_client.get(url(doctor_profile), {"date": "2027-03-01", "explain": "true"}).json()
    assert far["available_slots"] == []
    assert {row["reason"] for row in far["hidden"]} == {"beyond_horizon"}


def test_falls_back_to_clinic_slots(api_client, doctor_profile, clinic_monday_slot, taken_times):
    response = api_client.get(url(doctor_profile), {"date": MONDAY})
    assert response.json()["available_slots"] == ["10:00", "10:30", "11:00", "11:30"]


@pytest.mark.parametrize(
    "params", [{}, {"date": ""}, {"date": "30-11-2026"}, {"date": "2026-02-30"}, {"date": "soon"}]
)
def test_a_missing_or_malformed_date_is_400(api_client, doctor_profile, params):
    response = api_client.get(url(doctor_profile), params)
    assert response.status_code == 400
    assert "date" in response.json()


def test_bad_clinic_id_or_explain_is_400(api_client, doctor_profile):
    response = api_client.get(url(doctor_profile), {"date": MONDAY, "clinic_id": "123"})
    assert response.status_code == 400
    assert "clinic_id" in response.json()
    response = api_client.get(url(doctor_profile), {"date": MONDAY, "explain": "perhaps"})
    assert response.status_code == 400


def test_unknown_doctor_is_404(api_client):
    response = api_client.get("/api/doctors/987654/availability/slots/", {"date": MONDAY})
    assert response.status_code == 404
    assert response.json()["code"] == "doctor_not_found"
    assert (
        api_client.get("/api/doctors/abc/availability/slots/", {"date": MONDAY}).status_code == 404
    )


def test_a_clinic_the_doctor_does_not_practise_at_lists_no_times(
    api_client, doctor_profile, other_clinic, short_monday, taken_times
):
    # The other clinic opens on Mondays: its hours must not become this doctor's.
    ClinicTimeSlotFactory(clinic=other_clinic, day_of_week=0)
    query = {"date": MONDAY, "clinic_id": str(other_clinic.pk)}
    response = api_client.get(url(doctor_profile), query)
    assert response.status_code == 200
    assert response.json() == {"doctor": doctor_profile.pk, "date": MONDAY, "available_slots": []}
    explained = api_client.get(url(doctor_profile), {**query, "explain": "true"})
    assert explained.status_code == 200
    assert explained.json() == {
        "doctor": doctor_profile.pk,
        "date": MONDAY,
        "available_slots": [],
        "hidden": [],
        "reason": "not_practising_at_clinic",
    }


def test_a_clinic_the_doctor_left_lists_no_times_there(
    api_client, doctor_profile, clinic, short_monday, taken_times
):
    doctor_profile.user.clinic_memberships.update(status="inactive")
    query = {"date": MONDAY, "clinic_id": str(clinic.pk), "explain": "true"}
    response = api_client.get(url(doctor_profile), query)
    assert response.status_code == 200
    assert response.json()["available_slots"] == []
    assert response.json()["reason"] == "not_practising_at_clinic"


def test_an_unknown_or_closed_clinic_is_404(api_client, doctor_profile, clinic, other_clinic):
    for clinic_id in (uuid.uuid4(), other_clinic.pk):
        if clinic_id == other_clinic.pk:
            other_clinic.is_active = False
            other_clinic.save()
        response = api_client.get(url(doctor_profile), {"date": MONDAY, "clinic_id": clinic_id})
        assert response.status_code == 404
        assert response.json() == {"message": "Clinic not found.", "code": "clinic_not_found"}
    clinic.is_active = False
    clinic.save()
    assert api_client.get(url(doctor_profile), {"date": MONDAY}).status_code == 404
    with_id = api_client.get(url(doctor_profile), {"date": MONDAY, "clinic_id": str(clinic.pk)})
    assert with_id.json()["code"] == "clinic_not_found"


def test_an_unknown_doctor_at_a_real_clinic_is_404(api_client, clinic):
    response = api_client.get(
        "/api/doctors/987654/availability/slots/", {"date": MONDAY, "clinic_id": str(clinic.pk)}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "doctor_not_found"


def test_a_doctor_who_left_their_clinic_has_no_slots(api_client, doctor_profile, short_monday):
    doctor_profile.user.clinic_memberships.update(status="inactive")
    assert api_client.get(url(doctor_profile), {"date": MONDAY}).status_code == 404


def test_default_clinic_is_the_doctors_active_one(api_client, make_doctor, taken_times):
    new_clinic = ClinicFactory()
    doctor = make_doctor(clinic=new_clinic)
    ClinicMemberFactory(
        clinic=ClinicFactory(), user=doctor.user, member_role="doctor", status="inactive"
    )
    DoctorAvailabilityFactory(doctor=doctor, clinic=new_clinic, end_time=dt.time(9, 30))
    assert api_client.get(url(doctor), {"date": MONDAY}).json()["available_slots"] == [
        "09:00",
        "09:15",
    ]


def test_query_count_is_constant(
    api_client, doctor_profile, clinic, taken_times, django_assert_num_queries
):
    for day in range(7):
        DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=day)
    with django_assert_num_queries(1):  # clinic, windows and leave (+ taken times)
        response = api_client.get(url(doctor_profile), {"date": MONDAY})
    assert len(response.json()["available_slots"]) == 16


def test_today_hides_times_already_past(api_client, doctor_profile, clinic, taken_times):
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=3)  # Thursday
    slots = api_client.get(url(doctor_profile), {"date": "2026-11-26"}).json()["available_slots"]
    assert slots[0] == "10:15"  # 10:00 is now, so already gone


def test_late_utc_evening_is_the_next_morning_in_kolkata(
    api_client, doctor_profile, clinic, taken_times
):
    # 2026-12-01 23:30 UTC is Wednesday 2026-12-02 05:00 in Asia/Kolkata.
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=2,
        start_time=dt.time(4, 0),
        end_time=dt.time(6, 0),
        slot_duration_minutes=30,
    )
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=1)
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        today = api_client.get(
            url(doctor_profile), {"date": "2026-12-02", "explain": "true"}
        ).json()
        yesterday = api_client.get(url(doctor_profile), {"date": "2026-12-01", "explain": "true"})
    assert today["available_slots"] == ["05:30"]
    assert today["hidden"] == [
        {"time": "04:00", "reason": "past_time"},
        {"time": "04:30", "reason": "past_time"},
        {"time": "05:00", "reason": "past_time"},
    ]
    assert yesterday.json()["available_slots"] == []
    assert {row["reason"] for row in yesterday.json()["hidden"]} == {"past_date"}


def test_a_utc_clinic_at_the_same_instant_is_still_on_the_first(
    api_client, make_doctor, taken_times
):
    london = ClinicFactory(timezone="UTC")
    doctor = make_doctor(clinic=london)
    DoctorAvailabilityFactory(
        doctor=doctor,
        clinic=london,
        day_of_week=1,
        start_time=dt.time(23, 0),
        end_time=dt.time(23, 59),
        slot_duration_minutes=10,
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        body = api_client.get(url(doctor), {"date": "2026-12-01"}).json()
    assert body["available_slots"] == ["23:40"]


def test_booked_appointments_hide_their_times(
    api_client, doctor_profile, clinic, patient, short_monday, django_assert_num_queries
):
    from appointments.models import Appointment

    Appointment.objects.create(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=dt.date(2026, 11, 30),
        appointment_time=dt.time(9, 30),
    )
    Appointment.objects.create(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=dt.date(2026, 11, 30),
        appointment_time=dt.time(9, 45),
        status="cancelled",
    )
    with django_assert_num_queries(2):  # clinic, windows and leave; taken times
        response = api_client.get(url(doctor_profile), {"date": MONDAY})
    assert response.json()["available_slots"] == ["09:00", "09:15", "09:45"]
