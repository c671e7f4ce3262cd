"""A doctor's leaves: list, create (no overlap, not in the past), delete."""

import datetime as dt

import pytest
import time_machine

from doctors.models import DoctorLeave
from doctors.tests.factories import DoctorLeaveFactory

pytestmark = pytest.mark.django_db

URL = "/api/doctors/me/leaves/"
NOW = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)  # 11:30 in Jaipur


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_doctor_creates_an_all_clinics_leave(client_for, doctor, doctor_profile):
    body = {"start_date": "2026-12-01", "end_date": "2026-12-03", "reason": "Conference"}
    response = client_for(doctor).post(URL, body)
    assert response.status_code == 201
    leave = DoctorLeave.objects.get()
    assert response.json() == {
        "id": leave.pk,
        "clinic": None,
        "clinic_name": None,
        "start_date": "2026-12-01",
        "end_date": "2026-12-03",
        "reason": "Conference",
        "created_at": response.json()["created_at"],
    }
    assert leave.doctor == doctor_profile


def test_doctor_creates_a_leave_at_one_clinic(client_for, doctor, clinic):
    body = {"start_date": "2026-11-26", "end_date": "2026-11-26", "clinic": str(clinic.pk)}
    response = client_for(doctor).post(URL, body)
    assert response.status_code == 201
    assert response.json()["clinic"] == str(clinic.pk)
    assert response.json()["clinic_name"] == "City Care Clinic"
    assert response.json()["reason"] == ""


def test_the_clinic_must_be_one_of_the_doctors_active_clinics(client_for, doctor, other_clinic):
    body = {"start_date": "2026-12-01", "end_date": "2026-12-01", "clinic": str(other_clinic.pk)}
    response = client_for(doctor).post(URL, body)
    assert response.status_code == 400
    assert "clinic" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-12-05", "end_date": "2026-12-01"}, "end_date"),
        ({"start_date": "2026-11-25", "end_date": "2026-11-27"}, "start_date"),
        ({"start_date": "2026-13-01", "end_date": "2026-12-01"}, "start_date"),
        ({"start_date": "tomorrow", "end_date": "2026-12-01"}, "start_date"),
        ({"end_date": "2026-12-01"}, "start_date"),
        ({"start_date": "2026-12-01", "end_date": "2026-12-01", "clinic": "x"}, "clinic"),
        ({"start_date": "2026-12-01", "end_date": "2026-12-01", "reason": "r" * 256}, "reason"),
    ],
)
def test_bad_leaves_are_400(client_for, doctor, body, field):
    response = client_for(doctor).post(URL, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not DoctorLeave.objects.exists()


def test_today_is_the_clinics_date(client_for, doctor, clinic):
    # 20:00 UTC on the 26th is already the 27th in Jaipur: the 26th is past there.
    with time_machine.travel(dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC), tick=False):
        body = {"start_date": "2026-11-26", "end_date": "2026-11-27"}
        assert client_for(doctor).post(URL, body).status_code == 400
        body = {"start_date": "2026-11-27", "end_date": "2026-11-27"}
        assert client_for(doctor).post(URL, body).status_code == 201


@pytest.mark.parametrize(
    ("existing_clinic", "new_clinic", "conflict"),
    [
        (None, None, True),
        (None, "clinic", True),
        ("clinic", None, True),
        ("clinic", "clinic", True),
        ("other_clinic", "clinic", False),
    ],
)
def test_overlapping_leaves_are_refused_when_they_cover_the_same_clinic(
    request, client_for, doctor, doctor_profile, existing_clinic, new_clinic, conflict
):
    existing = DoctorLeaveFactory(
        doctor=doctor_profile,
        clinic=request.getfixturevalue(existing_clinic) if existing_clinic else None,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 5),
    )
    body = {"start_date": "2026-12-05", "end_date": "2026-12-08"}
    if new_clinic:
        body["clinic"] = str(request.getfixturevalue(new_clinic).pk)
    response = client_for(doctor).post(URL, body)
    if conflict:
        assert response.status_code == 409
        assert response.json() == {
            "message": "Overlaps your leave 2026-12-01 to 2026-12-05.",
            "code": "leave_overlap",
            "conflicting_leave_id": existing.pk,
        }
    else:
        assert response.status_code == 201


def test_adjacent_leaves_do_not_overlap(client_for, doctor, doctor_profile):
    DoctorLeaveFactory(
        doctor=doctor_profile,
        clinic=None,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 5),
    )
    body = {"start_date": "2026-12-06", "end_date": "2026-12-08"}
    assert client_for(doctor).post(URL, body).status_code == 201


def test_another_doctors_leave_does_not_conflict(client_for, doctor, other_doctor_profile):
    DoctorLeaveFactory(
        doctor=other_doctor_profile,
        clinic=None,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 5),
    )
    body = {"start_date": "2026-12-01", "end_date": "2026-12-05"}
    assert client_for(doctor).post(URL, body).status_code == 201


def test_list_shows_only_my_leaves_in_date_order(
    client_for, doctor, doctor_profile, other_doctor_profile
):
    later = DoctorLeaveFactory(
        doctor=doctor_profile, start_date=dt.date(2026, 12, 20), end_date=dt.date(2026, 12, 21)
    )
    sooner = DoctorLeaveFactory(
        doctor=doctor_profile, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 2)
    )
    DoctorLeaveFactory(doctor=other_doctor_profile)
    response = client_for(doctor).get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [sooner.pk, later.pk]
    assert response.headers["X-Total-Count"] == "2"


def test_delete_my_leave(client_for, doctor, doctor_profile):
    leave = DoctorLeaveFactory(doctor=doctor_profile)
    response = client_for(doctor).delete(f"{URL}{leave.pk}/")
    assert response.status_code == 204
    assert not DoctorLeave.objects.exists()


def test_another_doctors_leave_is_404(client_for, doctor, other_doctor_profile):
    leave = DoctorLeaveFactory(doctor=other_doctor_profile)
    assert client_for(doctor).delete(f"{URL}{leave.pk}/").status_code == 404
    assert client_for(doctor).delete(f"{URL}abc/").status_code == 404
    assert DoctorLeave.objects.filter(pk=leave.pk).exists()


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "receptionist"])
def test_only_doctors_have_leaves(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert (
        client.post(URL, {"start_date": "2026-12-01", "end_date": "2026-12-01"}).status_code == 403
    )


def test_leaves_need_authentication(api_client):
    assert api_client.get(URL).status_code == 401
