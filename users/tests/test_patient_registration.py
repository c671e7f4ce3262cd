"""Patient registration steps 1 and 2: OTP sent by SMS, verified, account created."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from core.throttles import (
    OTPSendContactThrottle,
    OTPSendIPThrottle,
    OTPVerifyContactThrottle,
    OTPVerifyIPThrottle,
)
from users.models import OTPLog, PendingRegistration, User
from users.services import registration
from users.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164, STRONG_PASSWORD

pytestmark = pytest.mark.django_db


# --- step 1 -----------------------------------------------------------------------------------


def test_step1_sends_an_otp_and_answers_as_the_spec(send_otp, sms_outbox, last_otp):
    response = send_otp()

    assert response.status_code == 200
    assert response.json() == {
        "message": "OTP sent to your contact number. Please verify to complete registration.",
        "contact": 9876543210,
        "next_step": "/api/users/onboarding/patient/step2/",
    }
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == NEW_CONTACT_E164
    code = last_otp()
    assert sms_outbox[0].body == (
        f"Your QuickCare verification code is {code}. It expires in 10 minutes."
    )


def test_step1_stores_only_hashes(send_otp, last_otp):
    send_otp()
    code = last_otp()
    pending = PendingRegistration.objects.get()
    assert pending.name == "Rahul Sharma"
    assert pending.purpose == "patient"
    assert STRONG_PASSWORD not in pending.password_hash
    assert check_password(STRONG_PASSWORD, pending.password_hash)
    assert code not in pending.otp_secret
    assert all(code != str(getattr(pending, f.attname)) for f in pending._meta.concrete_fields)
    assert pending.attempts == 0
    log = OTPLog.objects.get()
    assert str(log.contact) == NEW_CONTACT_E164
    assert log.is_used is False
    assert abs((log.expires_at - timezone.now()) - timedelta(minutes=10)) < timedelta(seconds=5)
    assert all(code not in str(getattr(log, f.attname)) for f in OTPLog._meta.concrete_fields)


def test_codes_are_random_not_derived_from_the_contact(send_otp, last_otp, time_machine):
    codes = set()
    for _ in range(3):
        assert send_otp().status_code == 200
        codes.add(last_otp())
        time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert len(codes) == 3


@pytest.mark.parametrize("contact", ["9876543210", "+919876543210", "09876543210"])
def test_step1_accepts_string_forms_and_answers_an_int(send_otp, contact):
    response = send_otp(contact=contact)
    assert response.status_code == 200
    assert response.json()["contact"] == 9876543210


@pytest.mark.parametrize("contact", ["01123456789", "12345", "abc", 12345, "", None, False, 1.5])
def test_step1_refuses_malformed_and_landline_contacts(send_otp, contact, sms_outbox):
    response = send_otp(contact=contact)
    assert response.status_code == 400
    assert "contact" in response.json()
    assert sms_outbox == []


def test_step1_refuses_the_spec_sample_password(send_otp, sms_outbox):
    response = send_otp(password="secret123")
    assert response.status_code == 400
    assert response.json() == {"password": ["This password is too common."]}
    assert sms_outbox == []
    assert not PendingRegistration.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!x", "This password is too short. It must contain at least 8 characters."),
        ("48213975016", "This password is entirely numeric."),
        ("RahulSharma", "The password is too similar to the name."),
        ("ph9876543210", "The password is too similar to the contact."),
    ],
)
def test_step1_refuses_weak_passwords(send_otp, password, message):
    response = send_otp(password=password)
    assert response.status_code == 400
    assert message in response.json()["password"]


def test_step1_requires_a_name(send_otp):
    assert send_otp(name="").json() == {"name": ["This field may not be blank."]}
    assert send_otp(name="x" * 151).status_code == 400


def test_step1_for_a_registered_contact_is_409(send_otp, patient, sms_outbox):
    response = send_otp(contact=str(patient.contact))
    assert response.status_code == 409
    assert response.json() == {
        "message": "An account with this contact number already exists. Please log in.",
        "code": "contact_already_registered",
    }
    assert sms_outbox == []


def test_resend_too_soon_is_429_with_retry_after(send_otp, time_machine, sms_outbox):
    time_machine.move_to(timezone.now(), tick=False)
    assert send_otp().status_code == 200
    time_machine.shift(timedelta(seconds=20))

    response = send_otp()

    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response.json()["code"] == "throttled"
    assert response.json()["retry_after"] == 40
    assert response.json()["message"] == (
        "An OTP was just sent to this number. Try again in 40 seconds."
    )
    assert len(sms_outbox) == 1


def test_resend_after_the_cooldown_replaces_the_code(send_otp, last_otp, verify_otp, time_machine):
    send_otp()
    first = last_otp()
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert send_otp().status_code == 200
    second = last_otp()
    assert OTPLog.objects.count() == 2
    assert PendingRegistration.objects.count() == 1
    if first != second:
        assert verify_otp(first).json()["code"] == "otp_invalid"
    assert verify_otp(second).status_code == 201


def test_a_failed_transaction_sends_no_sms(send_otp, sms_outbox, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("db down")

    monkeypatch.setattr(PendingRegistration, "save", boom)
    with pytest.raises(RuntimeError):
        send_otp()
    assert sms_outbox == []


# --- step 2 -----------------------------------------------------------------------------------


def test_step2_creates_the_account_and_answers_as_the_spec(send_otp, last_otp, verify_otp):
    send_otp()
    response = verify_otp(last_otp())

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert body["message"] == "OTP verified. Account created! Please complete your profile."
    assert body["next_step"] == "/api/users/onboarding/patient/step3/"
    assert body["user"] == {
        "id": str(user.id),
        "name": "Rahul Sharma",
        "contact": 9876543210,
        "email": "",
        "gender": "",
        "age": None,
        "blood_group": "",
        "roles": {"id": 3, "name": "is_patient"},
        "is_partial_onboarding": True,
        "is_complete_onboarding": False,
    }
    assert AccessToken(body["access"])["user_id"] == str(user.id)
    assert "auth_time" in AccessToken(body["access"])
    assert user.check_password(STRONG_PASSWORD)
    assert not PendingRegistration.objects.exists()
    log = OTPLog.objects.get()
    assert log.is_used is True
    assert log.used_at is not None


def test_registered_user_can_log_in_with_the_chosen_password(send_otp, last_otp, verify_otp, login):
    send_otp()
    verify_otp(last_otp())
    assert login(NEW_CONTACT, STRONG_PASSWORD).status_code == 200


def test_step2_accepts_the_otp_as_a_number(send_otp, verify_otp, monkeypatch):
    monkeypatch.setattr(registration, "_otp_code", lambda **_: "482910")
    send_otp()
    assert verify_otp(482910).status_code == 201


def test_wrong_otp_counts_attempts(send_otp, last_otp, verify_otp):
    send_otp()
    wrong = "000000" if last_otp() != "000000" else "111111"
    response = verify_otp(wrong)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Invalid OTP. 4 attempts left.",
        "code": "otp_invalid",
        "attempts_left": 4,
    }
    assert PendingRegistration.objects.get().attempts == 1
    assert OTPLog.objects.get().attempts == 1
    assert not User.objects.filter(contact=NEW_CONTACT_E164).exists()


def test_five_wrong_otps_then_even_the_right_one_is_refused(
    send_otp, last_otp, verify_otp, time_machine
):
    send_otp()
    code = last_otp()
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, 6):
        response = verify_otp(wrong)
        assert response.status_code == 400
        assert response.json()["attempts_left"] == 5 - attempt
    assert response.json()["code"] == "otp_attempts_exceeded"

    refused = verify_otp(code)
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "Too many wrong codes. Please request a new OTP.",
        "code": "otp_attempts_exceeded",
    }
    assert not User.objects.filter(contact=NEW_CONTACT_E164).exists()

    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    send_otp()
    assert verify_otp(last_otp()).status_code == 201


def test_an_expired_otp_is_refused(send_otp, last_otp, verify_otp, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    send_otp()
    code = last_otp()
    time_machine.shift(timedelta(seconds=601))
    response = verify_otp(code)
    assert response.status_code == 400
    assert response.json() == {
        "message": "This OTP has expired. Please request a new one.",
        "code": "otp_expired",
    }


def test_an_otp_just_before_expiry_is_accepted(send_otp, last_otp, verify_otp, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    send_otp()
    time_machine.shift(timedelta(seconds=599))
    assert verify_otp(last_otp()).status_code == 201


@pytest.mark.parametrize("otp", ["abc", "12", "1234567890", "", "12 34 56", None])
def test_malformed_otp_is_400(send_otp, verify_otp, otp):
    send_otp()
    response = verify_otp(otp)
    assert response.status_code == 400
    assert "otp" in response.json()
    assert PendingRegistration.objects.get().attempts == 0


def test_step2_without_step1_is_400(verify_otp, db):
    response = verify_otp("123456")
    assert response.status_code == 400
    assert response.json()["code"] == "otp_not_requested"


def test_step2_cannot_be_replayed(send_otp, last_otp, verify_otp):
    send_otp()
    code = last_otp()
    assert verify_otp(code).status_code == 201
    assert verify_otp(code).status_code == 409


def test_step2_for_a_contact_registered_meanwhile_is_409(send_otp, last_otp, verify_otp):
    send_otp()
    User.objects.create_user(NEW_CONTACT_E164, "Other-Pass-2026", name="Someone")
    response = verify_otp(last_otp())
    assert response.status_code == 409
    assert response.json()["code"] == "contact_already_registered"


def test_master_otp_is_accepted_when_set(send_otp, verify_otp, settings):
    settings.MASTER_OTP = "424242"
    send_otp()
    assert verify_otp("424242").status_code == 201


def test_master_otp_is_not_accepted_when_unset(send_otp, verify_otp, settings, monkeypatch):
    settings.MASTER_OTP = ""
    monkeypatch.setattr(registration, "_otp_code", lambda **_: "482910")
    send_otp()
    assert verify_otp("424242").status_code == 400


# --- throttles ------------------------------------------------------------------------------


def test_otp_send_rates_come_from_settings():
    assert OTPSendContactThrottle().rate == "5/hour"
    assert OTPSendIPThrottle().rate == "30/hour"
    assert OTPVerifyContactThrottle().rate == "20/hour"
    assert OTPVerifyIPThrottle().rate == "60/hour"


def test_otp_send_is_throttled_per_contact_and_resets(send_otp, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    statuses = []
    for _ in range(5):
        statuses.append(send_otp().status_code)
        time_machine.shift(timedelta(seconds=61))
    assert statuses == [200] * 5
    throttled = send_otp()
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["message"].startswith("Too many attempts. Try again in ")
    assert "Expected available" not in throttled.json()["message"]
    # Another contact from the same address is not affected by this contact's counter.
    assert send_otp(contact=9123456789).status_code == 200
    time_machine.shift(timedelta(hours=1))
    assert send_otp().status_code == 200


def test_otp_send_is_throttled_per_ip(send_otp, monkeypatch, time_machine):
    monkeypatch.setattr(OTPSendIPThrottle, "rate", "2/hour", raising=False)
    time_machine.move_to(timezone.now(), tick=False)
    assert send_otp(contact=9123456781).status_code == 200
    assert send_otp(contact=9123456782).status_code == 200
    response = send_otp(contact=9123456783)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    time_machine.shift(timedelta(hours=1, seconds=1))
    assert send_otp(contact=9123456783).status_code == 200


def test_otp_verify_is_throttled_per_contact(send_otp, verify_otp, monkeypatch):
    monkeypatch.setattr(OTPVerifyContactThrottle, "rate", "2/hour", raising=False)
    send_otp()
    verify_otp("000001")
    verify_otp("000002")
    response = verify_otp("000003")
    assert response.status_code == 429
    assert response.has_header("Retry-After")
    assert PendingRegistration.objects.get().attempts == 2


def test_otp_verify_is_throttled_per_ip(verify_otp, monkeypatch, db):
    monkeypatch.setattr(OTPVerifyIPThrottle, "rate", "1/hour", raising=False)
    verify_otp("000001", contact=9123456781)
    assert verify_otp("000001", contact=9123456782).status_code == 429
