"""POST /api/users/logout/ {refresh}: 204; the refresh token is blacklisted and the access
tokens of the same sign-in stop working at once (also those minted by refresh)."""

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from users.models import RevokedSession
from users.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/users/logout/"
INVALID = {
    "message": "This refresh token is invalid, expired or already signed out.",
    "code": "token_not_valid",
}


@pytest.fixture
def signed_in(login, patient):
    response = login(str(patient.contact), DEFAULT_PASSWORD)
    assert response.status_code == 200
    return response.json()


def _refresh(api_client, refresh):
    return api_client.post("/api/users/token/refresh/", {"refresh": refresh}, format="json")


def test_logout_ends_the_refresh_and_its_access_token(api_client, bearer, signed_in):
    assert bearer(signed_in["access"]).get("/api/users/me/").status_code == 200

    response = api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json")

    assert response.status_code == 204
    assert response.content == b""
    assert _refresh(api_client, signed_in["refresh"]).status_code == 401
    gone = bearer(signed_in["access"]).get("/api/users/me/")
    assert gone.status_code == 401
    assert gone.json()["code"] == "session_revoked"


def test_access_tokens_minted_by_refresh_die_too(api_client, bearer, signed_in):
    rotated = _refresh(api_client, signed_in["refresh"]).json()
    assert bearer(rotated["access"]).get("/api/users/me/").status_code == 200

    assert api_client.post(URL, {"refresh": rotated["refresh"]}, format="json").status_code == 204

    assert bearer(rotated["access"]).get("/api/users/me/").status_code == 401
    assert bearer(signed_in["access"]).get("/api/users/me/").status_code == 401


def test_other_sessions_of_the_user_stay_signed_in(api_client, bearer, login, patient, signed_in):
    other = login(str(patient.contact), DEFAULT_PASSWORD).json()
    api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json")
    assert bearer(other["access"]).get("/api/users/me/").status_code == 200
    assert _refresh(api_client, other["refresh"]).status_code == 200


def test_each_sign_in_is_its_own_session(login, patient, signed_in):
    other = login(str(patient.contact), DEFAULT_PASSWORD).json()
    assert AccessToken(signed_in["access"])["sid"] != AccessToken(other["access"])["sid"]


def test_logout_needs_no_access_token(api_client, signed_in):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.broken")
    assert api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json").status_code == 204


def test_logging_out_twice_is_401(api_client, signed_in):
    api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json")
    again = api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.json() == INVALID


def _foreign_token(signed_in):
    payload = jwt.decode(signed_in["refresh"], options={"verify_signature": False})
    return jwt.encode(payload, "someone-elses-key-0123456789abcdef0123456789", algorithm="HS256")


@pytest.mark.parametrize(
    "refresh",
    ["not-a-token", "a.b.c", "x" * 4000, "access", "foreign", "expired"],
)
def test_bad_refresh_tokens_are_401_json(api_client, signed_in, refresh, time_machine):
    value = {
        "access": signed_in["access"],
        "foreign": _foreign_token(signed_in),
        "expired": signed_in["refresh"],
    }.get(refresh, refresh)
    if refresh == "expired":
        time_machine.move_to(timezone.now() + timedelta(days=8))
    response = api_client.post(URL, {"refresh": value}, format="json")
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.parametrize(
    "body", [{}, {"refresh": ""}, {"refresh": None}, {"refresh": ["x"]}, {"refresh": "x" * 5000}]
)
def test_malformed_bodies_are_400(api_client, body):
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert "refresh" in response.json()


def test_the_revocation_check_costs_no_extra_query(bearer, signed_in, django_assert_num_queries):
    client = bearer(signed_in["access"])
    with django_assert_num_queries(1):  # the user, with its session's revocation
        assert client.get("/api/users/me/").status_code == 200


def test_revocations_are_kept_only_as_long_as_an_access_token_lives(
    api_client, login, patient, signed_in, time_machine, settings
):
    time_machine.move_to(timezone.now(), tick=False)
    api_client.post(URL, {"refresh": signed_in["refresh"]}, format="json")
    assert RevokedSession.objects.count() == 1
    time_machine.shift(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(seconds=1))
    later = login(str(patient.contact), DEFAULT_PASSWORD).json()
    api_client.post(URL, {"refresh": later["refresh"]}, format="json")
    assert list(RevokedSession.objects.values_list("sid", flat=True)) == [
        AccessToken(later["access"])["sid"]
    ]


def test_tokens_without_a_session_still_authenticate(client_for, patient):
    assert client_for(patient).get("/api/users/me/").status_code == 200
