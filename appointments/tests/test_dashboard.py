"""GET /api/appointments/clinic/<clinic_id>/dashboard/: the clinic owner's day."""

import datetime as dt
import uuid

import pytest

from appointments.tests.conftest import IST, TODAY
from appointments.tests.factories import AppointmentFactory
from clinic.tests.factories import ClinicMemberFactory
from doctors.tests.factories import DoctorProfileFactory

pytestmark = pytest.mark.django_db


def url(clinic_id) -> str:
    return f"/api/appointments/clinic/{clinic_id}/dashboard/"


@pytest.fixture
def second_doctor(clinic):
    profile = DoctorProfileFactory(user__name="Dr. Neha Joshi", specialty="pediatrics")
    ClinicMemberFactory(clinic=clinic, user=profile.user, member_role="doctor")
    return profile


@pytest.fixture
def day(clock, clinic, doctor_profile, second_doctor, patient, other_patient):
    """Today at the clinic: 3 by Dr. Yadav (pending, confirmed, cancelled), 1 by Dr. Joshi
    (completed); plus one tomorrow and one at another clinic, which must not show."""

    def make(time, status, doctor=doctor_profile, date=TODAY, who=patient, where=clinic):
        return AppointmentFactory(
            patient=who,
            doctor=doctor,
            clinic=where,
            appointment_date=date,
            appointment_time=time,
            status=status,
        )

    rows = {
        "pending": make(dt.time(11, 0), "pending"),
        "confirmed": make(dt.time(9, 0), "confirmed", who=other_patient),
        "cancelled": make(dt.time(9, 0), "cancelled"),
        "completed": make(dt.time(10, 0), "completed", doctor=second_doctor),
    }
    make(dt.time(9, 0), "pending", date=TODAY + dt.timedelta(days=1))
    return rows


def test_the_owner_sees_todays_counts_and_list(client_for, clinic_owner, clinic, day):
    response = client_for(clinic_owner).get(url(clinic.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["clinic"] == {
        "id": str(clinic.pk),
        "name": "City Care Clinic",
        "city": "Jaipur",
        "timezone": "Asia/Kolkata",
    }
    assert body["date"] == "2026-03-02"
    assert body["counts"] == {
        "pending": 1,
        "confirmed": 1,
        "completed": 1,
        "cancelled": 1,
        "no_show": 0,
    }
    assert body["total"] == 4
    assert [row["id"] for row in body["appointments"]] == [
        day["confirmed"].pk,
        day["cancelled"].pk,
        day["completed"].pk,
        day["pending"].pk,
    ]
    first = body["appointments"][0]
    assert first["doctor"]["user"]["name"] == "Dr. Suresh Yadav"
    assert first["patient"]["name"] == "Priya Verma"
    assert first["appointment_time"] == "09:00"
    assert "doctor_notes" not in first
    assert response.headers["X-Total-Count"] == "4"


def test_today_is_the_clinics_today(client_for, clinic_owner, clinic, clock):
    # 20:00 UTC on 1 March is already 2 March (01:30) in Jaipur.
    clock.move_to(dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC))

    response = client_for(clinic_owner).get(url(clinic.pk))

    assert response.json()["date"] == "2026-03-02"


def test_the_list_filters_by_status_but_counts_stay_for_the_day(
    client_for, clinic_owner, clinic, day
):
    response = client_for(clinic_owner).get(url(clinic.pk), {"status": "confirmed"})

    body = response.json()
    assert [row["id"] for row in body["appointments"]] == [day["confirmed"].pk]
    assert body["total"] == 4
    assert body["counts"]["pending"] == 1
    assert response.headers["X-Total-Count"] == "1"


def test_doctor_id_narrows_counts_and_list(client_for, clinic_owner, clinic, day, second_doctor):
    response = client_for(clinic_owner).get(url(clinic.pk), {"doctor_id": second_doctor.pk})

    body = response.json()
    assert body["total"] == 1
    assert body["counts"]["completed"] == 1
    assert [row["id"] for row in body["appointments"]] == [day["completed"].pk]


def test_another_date(client_for, clinic_owner, clinic, day):
    response = client_for(clinic_owner).get(url(clinic.pk), {"date": "2026-03-03"})

    assert response.json()["total"] == 1
    assert response.json()["date"] == "2026-03-03"


def test_the_list_pages(client_for, clinic_owner, clinic, day):
    response = client_for(clinic_owner).get(url(clinic.pk), {"page_size": 3, "page": 1})

    assert len(response.json()["appointments"]) == 3
    assert 'rel="next"' in response.headers["Link"]
    second = client_for(clinic_owner).get(url(clinic.pk), {"page_size": 3, "page": 2})
    assert [row["id"] for row in second.json()["appointments"]] == [day["pending"].pk]
    assert 'rel="prev"' in second.headers["Link"]


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2026-02-30"},
        {"status": "done"},
        {"doctor_id": "abc"},
        {"page": 0},
        {"page_size": 501},
    ],
)
def test_malformed_parameters_are_a_400(client_for, clinic_owner, clinic, params):
    response = client_for(clinic_owner).get(url(clinic.pk), params)

    assert response.status_code == 400
    assert next(iter(params)) in response.json()


def test_another_owners_clinic_is_404(client_for, other_owner, clinic, day):
    response = client_for(other_owner).get(url(clinic.pk))

    assert response.status_code == 404


def test_an_unknown_clinic_is_404(client_for, clinic_owner):
    assert client_for(clinic_owner).get(url(uuid.uuid4())).status_code == 404
    client = client_for(clinic_owner)
    assert client.get("/api/appointments/clinic/123/dashboard/").status_code == 404


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist", "lab_member"])
def test_only_clinic_owners_see_a_dashboard(client_for, clinic, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(url(clinic.pk))

    assert response.status_code == 403


@pytest.mark.parametrize("rows", [2, 10])
def test_the_dashboard_runs_a_constant_number_of_queries(
    client_for, clock, clinic_owner, clinic, doctor_profile, django_assert_num_queries, rows
):
    for i in range(rows):
        AppointmentFactory(
            doctor=doctor_profile,
            clinic=clinic,
            appointment_date=TODAY,
            appointment_time=dt.time(9 + i // 4, 15 * (i % 4)),
        )
    client = client_for(clinic_owner)

    # user (token), clinic, one aggregate, one list; queue rows, durations; the leaves with
    # their impact
    with django_assert_num_queries(7):
        response = client.get(url(clinic.pk))

    assert len(response.json()["appointments"]) == rows
    assert all(row["starts_at"] and row["timezone"] for row in response.json()["appointments"])


def test_a_day_without_appointments(client_for, clinic_owner, clinic, clock):
    clock.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=IST))

    body = client_for(clinic_owner).get(url(clinic.pk)).json()

    assert body["counts"] == dict.fromkeys(
        ["pending", "confirmed", "completed", "cancelled", "no_show"], 0
    )
    assert (body["total"], body["appointments"], body["date"]) == (0, [], "2026-03-04")
