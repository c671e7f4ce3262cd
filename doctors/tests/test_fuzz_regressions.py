"""Inputs that once answered 500 (found by `make fuzz`); each must now get a 2xx/4xx."""

import uuid

import pytest

from doctors.models import DoctorAvailability

pytestmark = pytest.mark.django_db


def row_url(doctor, row) -> str:
    return f"/api/doctors/{doctor.pk}/availability/{row.pk}/"


@pytest.fixture
def inactive_window(monday_window):
    monday_window.is_active = False
    monday_window.save()
    return monday_window


def test_moving_an_inactive_window_to_an_unknown_clinic_is_403(
    client_for, doctor, doctor_profile, clinic, inactive_window
):
    # The membership check ran only for active windows: the row was saved pointing at no
    # clinic and re-reading it (joined to its clinic) raised DoesNotExist.
    response = client_for(doctor).patch(
        row_url(doctor_profile, inactive_window), {"clinic": str(uuid.uuid4())}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_clinic_member"
    assert DoctorAvailability.objects.get(pk=inactive_window.pk).clinic_id == clinic.pk


def test_moving_an_inactive_window_to_a_clinic_i_do_not_practise_at_is_403(
    client_for, doctor, doctor_profile, other_clinic, inactive_window
):
    response = client_for(doctor).patch(
        row_url(doctor_profile, inactive_window), {"clinic": str(other_clinic.pk)}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_clinic_member"


def test_an_inactive_window_keeps_its_clinic_while_its_hours_change(
    client_for, doctor, doctor_profile, clinic, inactive_window
):
    response = client_for(doctor).patch(
        row_url(doctor_profile, inactive_window), {"clinic": str(clinic.pk), "end_time": "12:00"}
    )

    assert response.status_code == 200
    assert (response.json()["end_time"], response.json()["is_active"]) == ("12:00", False)
