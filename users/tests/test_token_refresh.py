"""POST /api/users/token/refresh/: rotation, blacklist, and every way a refresh token is dead."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from users.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/users/token/refresh/"


@pytest.fixture
def pair(login, patient):
    return login(str(patient.contact), DEFAULT_PASSWORD).json()


def refresh(api_client, token):
    return api_client.post(URL, {"refresh": token}, format="json")


def test_refresh_returns_a_new_access_and_a_rotated_refresh(api_client, pair, bearer):
    response = refresh(api_client, pair["refresh"])

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert body["refresh"] != pair["refresh"]
    assert bearer(body["access"]).get("/api/users/me/").status_code == 200


def test_auth_time_is_carried_across_refresh(api_client, pair):
    body = refresh(api_client, pair["refresh"]).json()
    original = AccessToken(pair["access"])["auth_time"]
    assert AccessToken(body["access"])["auth_time"] == original
    assert RefreshToken(body["refresh"])["auth_time"] == original


def test_a_rotated_refresh_token_cannot_be_used_again(api_client, pair):
    assert refresh(api_client, pair["refresh"]).status_code == 200
    again = refresh(api_client, pair["refresh"])
    assert again.status_code == 401
    assert again.json() == {"message": "Token is blacklisted", "code": "token_not_valid"}


def test_refresh_with_an_access_token_is_401(api_client, pair):
    response = refresh(api_client, pair["access"])
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.parametrize("mutate", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "junk"])
def test_a_tampered_refresh_token_is_401(api_client, pair, mutate):
    assert refresh(api_client, mutate(pair["refresh"])).status_code == 401


def test_an_expired_refresh_token_is_401(api_client, pair, time_machine, settings):
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    time_machine.move_to(timezone.now() + lifetime + timedelta(seconds=5))
    assert refresh(api_client, pair["refresh"]).status_code == 401


def test_refresh_for_an_inactive_user_is_401(api_client, pair, patient):
    patient.is_active = False
    patient.save()
    response = refresh(api_client, pair["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_refresh_for_a_deleted_user_is_401(api_client, pair, patient):
    patient.delete()
    assert refresh(api_client, pair["refresh"]).status_code == 401


def test_refresh_issued_before_a_password_change_is_401_even_if_not_blacklisted(
    api_client, pair, patient
):
    patient.set_password("Another-Pass-2026")
    patient.save()
    response = refresh(api_client, pair["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "password_changed"


def test_missing_refresh_is_400(api_client, db):
    response = api_client.post(URL, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"refresh": ["This field is required."]}


def test_refresh_ignores_a_stale_authorization_header(api_client, pair):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.broken")
    assert refresh(api_client, pair["refresh"]).status_code == 200
