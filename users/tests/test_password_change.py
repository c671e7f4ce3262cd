"""PUT /api/users/password/change/: recent-auth rule, validators, every old session ends."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from users.tests.factories import DEFAULT_PASSWORD, DoctorUserFactory

pytestmark = pytest.mark.django_db
URL = "/api/users/password/change/"
NEW_PASSWORD = "NewSecurePass@123"


@pytest.fixture
def session(login, patient, bearer):
    """A fresh login of the patient: (tokens, client)."""
    tokens = login(str(patient.contact), DEFAULT_PASSWORD).json()
    return tokens, bearer(tokens["access"])


def test_password_alone_is_enough_right_after_login(session, patient, login):
    _tokens, client = session
    response = client.put(URL, {"password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"message", "access", "refresh"}
    assert body["message"] == "Password changed successfully."
    assert login(str(patient.contact), NEW_PASSWORD).status_code == 200
    assert login(str(patient.contact), DEFAULT_PASSWORD).status_code == 401


def test_new_tokens_work_and_old_ones_do_not(session, api_client, bearer):
    tokens, client = session
    body = client.put(URL, {"password": NEW_PASSWORD}, format="json").json()

    assert bearer(body["access"]).get("/api/users/me/").status_code == 200
    assert client.get("/api/users/me/").status_code == 401  # old access
    old_refresh = api_client.post("/api/users/token/refresh/", {"refresh": tokens["refresh"]})
    assert old_refresh.status_code == 401
    new_refresh = api_client.post("/api/users/token/refresh/", {"refresh": body["refresh"]})
    assert new_refresh.status_code == 200


def test_every_outstanding_refresh_token_is_blacklisted(session, login, patient):
    _tokens, client = session
    login(str(patient.contact), DEFAULT_PASSWORD)  # a second device
    client.put(URL, {"password": NEW_PASSWORD}, format="json")
    outstanding = OutstandingToken.objects.filter(user=patient)
    # Both earlier sessions are blacklisted; only the pair just issued is alive.
    assert outstanding.count() == 3
    assert BlacklistedToken.objects.filter(token__user=patient).count() == 2


def test_stale_sign_in_needs_the_current_password(login, patient, api_client, bearer, time_machine):
    tokens = login(str(patient.contact), DEFAULT_PASSWORD).json()
    time_machine.move_to(timezone.now() + timedelta(minutes=20))
    refreshed = api_client.post("/api/users/token/refresh/", {"refresh": tokens["refresh"]}).json()
    client = bearer(refreshed["access"])

    response = client.put(URL, {"password": NEW_PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "current_password": [
            "Your current password is required: you signed in more than 15 minutes ago."
        ]
    }

    response = client.put(
        URL, {"password": NEW_PASSWORD, "current_password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    new_auth_time = AccessToken(response.json()["access"])["auth_time"]
    assert abs(new_auth_time - timezone.now().timestamp()) < 5


def test_a_token_without_auth_time_needs_the_current_password(client_for, patient):
    response = client_for(patient).put(URL, {"password": NEW_PASSWORD}, format="json")
    assert response.status_code == 400
    assert "current_password" in response.json()


def test_a_wrong_current_password_is_400(session):
    _, client = session
    response = client.put(
        URL, {"password": NEW_PASSWORD, "current_password": "Not-The-One-1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"current_password": ["Your current password is incorrect."]}


def test_recent_auth_time_is_kept_when_no_current_password_is_given(session):
    tokens, client = session
    body = client.put(URL, {"password": NEW_PASSWORD}, format="json").json()
    assert AccessToken(body["access"])["auth_time"] == AccessToken(tokens["access"])["auth_time"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("secret123", "This password is too common."),
        ("short1!", "This password is too short. It must contain at least 8 characters."),
        ("83749201734", "This password is entirely numeric."),
        ("RahulSharma", "The password is too similar to the name."),
        (DEFAULT_PASSWORD, "The new password must be different from the current one."),
    ],
)
def test_weak_or_unchanged_passwords_are_400(session, patient, password, message):
    _, client = session
    response = client.put(URL, {"password": password}, format="json")
    assert response.status_code == 400
    assert message in response.json()["password"]
    patient.refresh_from_db()
    assert patient.check_password(DEFAULT_PASSWORD)


def test_a_password_like_the_contact_is_400(session, patient):
    _, client = session
    digits = str(patient.contact)[3:]
    response = client.put(URL, {"password": f"qc{digits}"}, format="json")
    assert response.json() == {"password": ["The password is too similar to the contact."]}


def test_missing_password_is_400(session):
    _, client = session
    assert client.put(URL, {}, format="json").json() == {"password": ["This field is required."]}


def test_password_change_needs_a_token(api_client):
    assert api_client.put(URL, {"password": NEW_PASSWORD}, format="json").status_code == 401


def test_partial_staff_may_change_their_password(login, bearer, db):
    DoctorUserFactory(
        contact="+919988776655", is_partial_onboarding=True, is_complete_onboarding=False
    )
    access = login(9988776655, DEFAULT_PASSWORD).json()["access"]
    response = bearer(access).put(URL, {"password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
