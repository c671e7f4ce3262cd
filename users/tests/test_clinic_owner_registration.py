"""Clinic-owner registration steps 1 and 2 (step 3 lives in the clinic app)."""

import pytest

from users.models import PendingRegistration, User
from users.tests.conftest import NEW_CONTACT_E164

pytestmark = pytest.mark.django_db


def test_step1_answers_with_the_clinic_next_step(send_otp, sms_outbox):
    response = send_otp(flow="clinic", name="Dr. Anil Gupta")
    assert response.status_code == 200
    assert response.json() == {
        "message": "OTP sent to your contact number. Please verify to complete registration.",
        "contact": 9876543210,
        "next_step": "/api/users/onboarding/clinic/step2/",
    }
    assert PendingRegistration.objects.get().purpose == "clinic_owner"
    assert len(sms_outbox) == 1


def test_step2_creates_a_clinic_owner(send_otp, last_otp, verify_otp):
    send_otp(flow="clinic", name="Dr. Anil Gupta")
    response = verify_otp(last_otp(), flow="clinic")

    assert response.status_code == 201
    body = response.json()
    assert body["next_step"] == "/api/clinics/onboarding/step3/"
    assert body["message"] == "OTP verified. Account created! Please set up your clinic."
    assert {"access", "refresh"} <= set(body)
    assert body["user"]["roles"] == {"id": 7, "name": "is_clinic_owner"}
    assert body["user"]["is_partial_onboarding"] is True
    assert body["user"]["is_complete_onboarding"] is False
    user = User.objects.get(contact=NEW_CONTACT_E164)
    assert user.role_id == 7
    assert user.name == "Dr. Anil Gupta"


def test_a_patient_code_does_not_verify_a_clinic_registration(send_otp, last_otp, verify_otp):
    send_otp()
    response = verify_otp(last_otp(), flow="clinic")
    assert response.status_code == 400
    assert response.json()["code"] == "otp_not_requested"


def test_clinic_step1_for_a_registered_contact_is_409(send_otp, patient):
    assert send_otp(contact=str(patient.contact), flow="clinic").status_code == 409


def test_clinic_step1_refuses_a_weak_password(send_otp):
    response = send_otp(flow="clinic", password="secret123")
    assert response.status_code == 400
    assert response.json() == {"password": ["This password is too common."]}
