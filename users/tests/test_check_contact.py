"""GET /api/users/check/?contact=: public, throttled per IP."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
URL = "/api/users/check/"


def test_registered_contact_exists(api_client, patient):
    response = api_client.get(URL, {"contact": str(patient.contact)[3:]})
    assert response.status_code == 200
    assert response.json() == {"exists": True}


def test_unknown_contact_does_not_exist(api_client):
    assert api_client.get(URL, {"contact": "9123456789"}).json() == {"exists": False}


@pytest.mark.parametrize("form", ["+91{}", "{}", "0{}"])
def test_contact_forms(api_client, patient, form):
    digits = str(patient.contact)[3:]
    assert api_client.get(URL, {"contact": form.format(digits)}).json() == {"exists": True}


@pytest.mark.parametrize("contact", ["01123456789", "12345", "abc", ""])
def test_malformed_contact_is_400(api_client, contact):
    response = api_client.get(URL, {"contact": contact})
    assert response.status_code == 400
    assert response.json() == {"contact": ["Enter a valid 10-digit Indian mobile number."]}


def test_missing_contact_is_400(api_client):
    assert api_client.get(URL).json() == {"contact": ["This field is required."]}


def test_check_ignores_a_broken_token(api_client, patient):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer broken")
    assert api_client.get(URL, {"contact": "9123456789"}).status_code == 200


def test_check_is_throttled_per_ip_and_resets(api_client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(30):
        assert api_client.get(URL, {"contact": "9123456789"}).status_code == 200
    throttled = api_client.get(URL, {"contact": "9123456789"})
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "60"
    assert throttled.json()["retry_after"] == 60
    other_ip = api_client.get(URL, {"contact": "9123456789"}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200
    time_machine.shift(timedelta(seconds=61))
    assert api_client.get(URL, {"contact": "9123456789"}).status_code == 200
