"""Racing writes of one doctor (PostgreSQL): the profile row lock keeps the overlap rules."""

from collections import Counter

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from core.testing import race
from doctors.models import DoctorAvailability, DoctorLeave

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def post_at_once(user, url: str, bodies: list[dict]) -> list[int]:
    """POST every body at once, each from its own thread and connection."""
    token = str(RefreshToken.for_user(user).access_token)
    clients = [APIClient() for _ in bodies]
    for client in clients:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    calls = [
        lambda c=c, b=b: c.post(url, b, format="json") for c, b in zip(clients, bodies, strict=True)
    ]
    return [response.status_code for response in race(calls)]


@pytest.mark.postgres
@RACE
def test_racing_overlapping_windows_keep_exactly_one(doctor, doctor_profile, clinic):
    bodies = [
        {
            "clinic": str(clinic.pk),
            "day": "monday",
            "start_time": f"{9 + index % 3:02d}:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_patients": 10,
        }
        for index in range(8)
    ]
    codes = post_at_once(doctor, f"/api/doctors/{doctor_profile.pk}/availability/", bodies)
    assert Counter(codes) == {201: 1, 409: 7}
    assert DoctorAvailability.objects.filter(doctor=doctor_profile, is_active=True).count() == 1


@pytest.mark.postgres
@RACE
def test_racing_overlapping_leaves_keep_exactly_one(doctor, doctor_profile):
    bodies = [
        {"start_date": f"2099-01-0{1 + index % 3}", "end_date": "2099-01-05"} for index in range(8)
    ]
    codes = post_at_once(doctor, "/api/doctors/me/leaves/", bodies)
    assert Counter(codes) == {201: 1, 409: 7}
    assert DoctorLeave.objects.filter(doctor=doctor_profile).count() == 1
