"""Member onboarding completed without a new password marks the account
`password_change_required`: a clinic-issued temporary password never becomes the long-term one."""

import pytest
from rest_framework.test import APIClient

from clinic.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164, STRONG_PASSWORD, temp_password_in
from users.models import User

pytestmark = pytest.mark.django_db
COMPLETE = "/api/users/onboarding/member/complete/"
GATED = {
    "code": "password_change_required",
    "message": "Please choose a new password to continue.",
    "password_change_required": True,
    "password_change_url": "/api/users/password/change/",
}


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def login(password: str):
    return APIClient().post(
        "/api/users/login/", {"contact": NEW_CONTACT, "password": password}, format="json"
    )


@pytest.fixture
def temp_password(add_member, sms_outbox) -> str:
    assert add_member(department="Cardiology").status_code == 201
    return temp_password_in(sms_outbox[-1].body)


@pytest.fixture
def completed_without_password(temp_password) -> dict:
    access = login(temp_password).json()["access"]
    response = bearer(access).put(COMPLETE, {"name": "Dr. Suresh Yadav"}, format="json")
    assert response.status_code == 200
    return response.json()


def test_completion_without_a_password_marks_the_account(completed_without_password):
    assert completed_without_password["password_change_required"] is True
    assert User.objects.get(contact=NEW_CONTACT_E164).password_change_required is True


def test_login_then_answers_200_with_tokens_and_the_flag(completed_without_password, temp_password):
    response = login(temp_password)
    assert response.status_code == 200
    body = response.json()
    assert body["password_change_required"] is True
    assert body["password_change_url"] == "/api/users/password/change/"
    assert {"access", "refresh", "user"} <= set(body)
    assert "onboarding_required" not in body


def test_those_tokens_reach_only_password_change_me_and_refresh(
    completed_without_password, temp_password, clinic
):
    body = login(temp_password).json()
    client = bearer(body["access"])
    for path in ("/api/clinics/my/memberships/", "/api/doctors/me/", "/api/users/address/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json() == GATED
    assert client.put(COMPLETE, {}, format="json").status_code == 403
    assert client.get("/api/users/me/").status_code == 200
    refreshed = APIClient().post(
        "/api/users/token/refresh/", {"refresh": body["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200
    assert bearer(refreshed.json()["access"]).get("/api/users/address/").status_code == 403


def test_a_password_change_clears_the_flag(completed_without_password, temp_password):
    body = login(temp_password).json()
    changed = bearer(body["access"]).put(
        "/api/users/password/change/", {"password": STRONG_PASSWORD}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert User.objects.get(contact=NEW_CONTACT_E164).password_change_required is False
    assert bearer(changed.json()["access"]).get("/api/clinics/my/memberships/").status_code == 200
    again = login(STRONG_PASSWORD).json()
    assert "password_change_required" not in again


def test_completion_with_a_password_does_not_mark_the_account(temp_password):
    access = login(temp_password).json()["access"]
    response = bearer(access).put(COMPLETE, {"password": STRONG_PASSWORD}, format="json")
    assert response.status_code == 200
    assert "password_change_required" not in response.json()
    assert User.objects.get(contact=NEW_CONTACT_E164).password_change_required is False
    assert "password_change_required" not in login(STRONG_PASSWORD).json()


def test_a_password_changed_before_completion_is_not_a_temporary_one(temp_password):
    access = login(temp_password).json()["access"]
    changed = bearer(access).put(
        "/api/users/password/change/", {"password": STRONG_PASSWORD}, format="json"
    )
    assert changed.status_code == 200
    response = bearer(changed.json()["access"]).put(COMPLETE, {}, format="json")
    assert response.status_code == 200
    assert "password_change_required" not in response.json()
    assert User.objects.get(contact=NEW_CONTACT_E164).password_change_required is False
