"""Racing writes of one doctor (PostgreSQL): the profile row lock keeps the overlap rules."""

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from doctors.models import DoctorAvailability, DoctorLeave

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(user, url: str, bodies: list[dict]) -> list[int]:
    """POST every body at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(bodies))
    codes: list[int] = []
    lock = threading.Lock()
    token = str(RefreshToken.for_user(user).access_token)

    def run(body):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=30)
            code = client.post(url, body, format="json").status_code
            with lock:
                codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


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
    codes = race(doctor, f"/api/doctors/{doctor_profile.pk}/availability/", bodies)
    assert Counter(codes) == {201: 1, 409: 7}
    assert DoctorAvailability.objects.filter(doctor=doctor_profile, is_active=True).count() == 1


@pytest.mark.postgres
@RACE
def test_racing_overlapping_leaves_keep_exactly_one(doctor, doctor_profile):
    bodies = [
        {"start_date": f"2099-01-0{1 + index % 3}", "end_date": "2099-01-05"} for index in range(8)
    ]
    codes = race(doctor, "/api/doctors/me/leaves/", bodies)
    assert Counter(codes) == {201: 1, 409: 7}
    assert DoctorLeave.objects.filter(doctor=doctor_profile).count() == 1
