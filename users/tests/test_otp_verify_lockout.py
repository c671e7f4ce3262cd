"""OTP verification is throttled per contact and client address, under a per-contact ceiling
across addresses; the per-code limit (OTP_MAX_ATTEMPTS) stays."""

import pytest

from core.throttles import OTPVerifyContactCeilingThrottle, OTPVerifyContactThrottle
from users.models import User
from users.tests.conftest import NEW_CONTACT

pytestmark = pytest.mark.django_db


@pytest.fixture
def verify_from(api_client):
    def do(address: str, otp: str, contact: object = NEW_CONTACT):
        return api_client.post(
            "/api/users/onboarding/patient/step2/",
            {"contact": contact, "otp": otp},
            format="json",
            REMOTE_ADDR=address,
        )

    return do


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_rates_come_from_settings():
    assert OTPVerifyContactThrottle().rate == "20/hour"
    assert OTPVerifyContactCeilingThrottle().rate == "60/hour"


def test_guesses_from_one_address_do_not_stop_the_owner_elsewhere(
    send_otp, last_otp, verify_from, monkeypatch
):
    monkeypatch.setattr(OTPVerifyContactThrottle, "rate", "2/hour", raising=False)
    send_otp()
    code = last_otp()
    assert verify_from("203.0.113.5", _wrong(code)).status_code == 400
    assert verify_from("203.0.113.5", _wrong(code)).status_code == 400
    assert verify_from("203.0.113.5", code).status_code == 429
    assert verify_from("198.51.100.7", code).status_code == 201
    assert User.objects.filter(contact="+919876543210").exists()


def test_the_per_contact_ceiling_stops_a_distributed_guess(
    send_otp, last_otp, verify_from, monkeypatch, time_machine
):
    time_machine.move_to("2026-06-01 09:00:00+05:30", tick=False)
    monkeypatch.setattr(OTPVerifyContactCeilingThrottle, "rate", "3/hour", raising=False)
    send_otp()
    code = last_otp()
    for n in range(3):
        assert verify_from(f"203.0.113.{n}", _wrong(code)).status_code == 400
    response = verify_from("198.51.100.7", code)
    assert response.status_code == 429
    assert response.json()["message"] == "Too many attempts. Try again in 1 hour."
    assert not User.objects.exists()


def test_the_per_code_limit_still_applies(send_otp, last_otp, verify_from, settings):
    send_otp()
    code = last_otp()
    for n in range(settings.OTP_MAX_ATTEMPTS):
        verify_from(f"203.0.113.{n}", _wrong(code))
    response = verify_from("198.51.100.7", code)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_attempts_exceeded"
