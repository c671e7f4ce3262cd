"""POST /api/users/login/: contact + password -> tokens; failures are counted per contact."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from core.throttles import LoginIPThrottle
from users.models import TempPasswordLog
from users.tests.factories import DEFAULT_PASSWORD, DoctorUserFactory, PatientFactory

pytestmark = pytest.mark.django_db

ONBOARDING_MESSAGE = (
    "Login successful, but your profile is incomplete. "
    "Please complete your onboarding to access all features."
)


@pytest.fixture
def raj(db):
    return PatientFactory(
        contact="+919876543210", name="Raj Kumar", email="raj@example.com", blood_group="B+"
    )


@pytest.fixture
def partial_doctor(db):
    return DoctorUserFactory(
        contact="+919988776655", name="", is_partial_onboarding=True, is_complete_onboarding=False
    )


def test_login_returns_tokens_and_the_user(login, raj, bearer):
    response = login(9876543210, DEFAULT_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert body["user"] == {
        "id": str(raj.id),
        "name": "Raj Kumar",
        "contact": 9876543210,
        "email": "raj@example.com",
        "gender": "male",
        "age": 30,
        "blood_group": "B+",
        "roles": {"id": 3, "name": "is_patient"},
        "is_partial_onboarding": False,
        "is_complete_onboarding": True,
    }
    assert bearer(body["access"]).get("/api/users/me/").status_code == 200


@pytest.mark.parametrize("contact", ["9876543210", "+919876543210", "+91 98765 43210"])
def test_login_accepts_string_and_plus91_contacts(login, raj, contact):
    assert login(contact, DEFAULT_PASSWORD).status_code == 200


def test_login_token_carries_auth_time_of_the_sign_in(login, raj):
    before = int(timezone.now().timestamp())
    access = AccessToken(login(9876543210, DEFAULT_PASSWORD).json()["access"])
    assert before - 1 <= access["auth_time"] <= int(timezone.now().timestamp()) + 1


def test_login_records_last_login(login, raj):
    login(9876543210, DEFAULT_PASSWORD)
    raj.refresh_from_db()
    assert raj.last_login is not None


def test_login_ignores_a_stale_authorization_header(api_client, raj):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    response = api_client.post(
        "/api/users/login/", {"contact": 9876543210, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200


def test_partial_staff_login_says_onboarding_is_required(login, partial_doctor, bearer):
    response = login(9988776655, DEFAULT_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert list(body)[:3] == ["message", "onboarding_required", "onboarding_url"]
    assert body["message"] == ONBOARDING_MESSAGE
    assert body["onboarding_required"] is True
    assert body["onboarding_url"] == "/api/users/onboarding/member/complete/"
    assert body["user"]["name"] == ""
    assert body["user"]["roles"] == {"id": 4, "name": "is_doctor"}
    assert body["user"]["is_partial_onboarding"] is True
    assert body["user"]["is_complete_onboarding"] is False
    # The tokens work for the calls a partial staff member is allowed.
    assert bearer(body["access"]).get("/api/users/me/").status_code == 200


def test_fully_onboarded_login_has_no_onboarding_keys(login, doctor):
    body = login(str(doctor.contact), DEFAULT_PASSWORD).json()
    assert "onboarding_required" not in body
    assert "message" not in body


def test_wrong_password_is_401(login, raj):
    response = login(9876543210, "Wrong-Password-1")
    assert response.status_code == 401
    assert response.json() == {
        "message": "Invalid contact or password.",
        "code": "invalid_credentials",
    }


def test_unknown_contact_is_the_same_401(login, db):
    response = login(9123456780, DEFAULT_PASSWORD)
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid contact or password."


@pytest.mark.parametrize("contact", ["01123456789", "12345", "abc", "", True, 5876543210, [1]])
def test_malformed_or_landline_contact_is_400(login, contact):
    response = login(contact, DEFAULT_PASSWORD)
    assert response.status_code == 400
    assert "contact" in response.json()


def test_missing_fields_are_400(api_client, db):
    response = api_client.post("/api/users/login/", {})
    assert response.status_code == 400
    assert response.json() == {
        "contact": ["This field is required."],
        "password": ["This field is required."],
    }


def test_inactive_user_cannot_log_in(login, raj):
    raj.is_active = False
    raj.save()
    response = login(9876543210, DEFAULT_PASSWORD)
    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"


def _temp_password_user(*, expires_in: timedelta, is_used: bool = False):
    user = DoctorUserFactory(
        contact="+919811112222",
        is_partial_onboarding=True,
        is_complete_onboarding=False,
        password="Tmp7kQ9wRx",
    )
    TempPasswordLog.objects.create(
        user=user,
        temp_password="" if is_used else "Tmp7kQ9wRx",
        expires_at=timezone.now() + expires_in,
        is_used=is_used,
    )
    return user


def test_expired_temp_password_is_refused(login):
    _temp_password_user(expires_in=-timedelta(minutes=1))
    response = login(9811112222, "Tmp7kQ9wRx")
    assert response.status_code == 401
    assert response.json() == {
        "message": "Your temporary password has expired. Please ask your clinic to issue a "
        "new one.",
        "code": "temp_password_expired",
    }


def test_unexpired_temp_password_logs_in(login):
    _temp_password_user(expires_in=timedelta(days=7))
    response = login(9811112222, "Tmp7kQ9wRx")
    assert response.status_code == 200
    assert response.json()["onboarding_required"] is True


def test_expired_temp_log_does_not_block_a_password_the_user_chose(login):
    user = _temp_password_user(expires_in=-timedelta(days=1))
    user.set_password("Chosen-Later-77")
    user.save()
    assert login(9811112222, "Chosen-Later-77").status_code == 200


# --- failures per contact ------------------------------------------------------------------


@pytest.mark.usefixtures("clock_driven_cache")
def test_too_many_failures_lock_the_contact_then_reset_after_the_window(
    login, raj, time_machine, settings
):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert login(9876543210, "Wrong-Password-1").status_code == 401

    locked = login(9876543210, DEFAULT_PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert locked.json()["code"] == "throttled"
    assert locked.json()["retry_after"] == settings.LOGIN_FAILURE_WINDOW_SECONDS
    assert locked.json()["message"].startswith("Too many failed login attempts")

    time_machine.shift(timedelta(seconds=300))
    assert int(login(9876543210, DEFAULT_PASSWORD)["Retry-After"]) == (
        settings.LOGIN_FAILURE_WINDOW_SECONDS - 300
    )

    time_machine.shift(timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS))
    assert login(9876543210, DEFAULT_PASSWORD).status_code == 200


def test_lockout_is_per_contact(login, raj, patient, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(9876543210, "Wrong-Password-1")
    assert login(str(patient.contact), DEFAULT_PASSWORD).status_code == 200


def test_unknown_contacts_are_counted_too(login, db, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert login(9123456780, "Wrong-Password-1").status_code == 401
    assert login(9123456780, "Wrong-Password-1").status_code == 429


def test_a_successful_login_resets_the_failure_count(login, raj, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        login(9876543210, "Wrong-Password-1")
    assert login(9876543210, DEFAULT_PASSWORD).status_code == 200
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert login(9876543210, "Wrong-Password-1").status_code == 401
    assert login(9876543210, DEFAULT_PASSWORD).status_code == 200


def test_login_rate_per_ip_comes_from_settings():
    assert LoginIPThrottle().rate == "60/min"


def test_login_is_throttled_per_ip_and_resets(login, raj, monkeypatch, time_machine):
    monkeypatch.setattr(LoginIPThrottle, "rate", "3/min", raising=False)
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(3):
        assert login(9876543210, DEFAULT_PASSWORD).status_code == 200
    throttled = login(9876543210, DEFAULT_PASSWORD)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "60"
    time_machine.shift(timedelta(seconds=61))
    assert login(9876543210, DEFAULT_PASSWORD).status_code == 200


def test_login_upgrades_a_hash_made_with_the_old_argon2_parameters(login, raj, settings):
    """Production hashers: a hash from Django's default Argon2 parameters (m=100 MiB, p=8)
    still logs in, and the stored hash then carries the OWASP-minimum parameters."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from quickcare import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    raj.password = make_password(DEFAULT_PASSWORD, hasher=Argon2PasswordHasher())
    raj.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in raj.password

    response = login(9876543210, DEFAULT_PASSWORD)

    assert response.status_code == 200
    raj.refresh_from_db()
    assert raj.password.split("$")[1:4] == ["argon2id", "v=19", "m=19456,t=2,p=1"]
    assert raj.check_password(DEFAULT_PASSWORD)
    assert login(9876543210, DEFAULT_PASSWORD).status_code == 200
