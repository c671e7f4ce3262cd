"""The cached authenticated user (users/auth_cache.py): a repeated request reads no user row,
and every change that matters is seen by the very next request: deactivation, password
change, role change, onboarding flags set by `QuerySet.update()`, logout, deletion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.tokens import AccessToken

from core.roles import RoleId
from users import auth_cache
from users.models import User
from users.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
ME = "/api/users/me/"


@pytest.fixture
def session(login, patient, bearer):
    tokens = login(str(patient.contact), DEFAULT_PASSWORD).json()
    return tokens, bearer(tokens["access"])


def _user_queries(client, path=ME):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    table = User._meta.db_table
    return response, [q["sql"] for q in captured if f'FROM "{table}"' in q["sql"]]


def test_the_second_request_reads_no_user_row(session):
    _tokens, client = session
    first, first_reads = _user_queries(client)
    second, second_reads = _user_queries(client)

    assert first.status_code == second.status_code == 200
    assert len(first_reads) == 1  # the lookup with its revocation check
    assert second_reads == []
    assert second.json() == first.json()


def test_without_the_cache_every_request_reads_the_user(session, settings):
    settings.AUTH_USER_CACHE_SECONDS = 0
    _tokens, client = session
    _user_queries(client)
    response, reads = _user_queries(client)
    assert response.status_code == 200
    assert len(reads) == 1


def test_deactivation_ends_the_cached_session_at_once(session, patient):
    _tokens, client = session
    assert client.get(ME).status_code == 200

    patient.is_active = False
    patient.save(update_fields=["is_active"])

    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "user_inactive"


def test_a_password_change_ends_the_cached_access_token(session, api_client, bearer):
    tokens, client = session
    assert client.get(ME).status_code == 200

    changed = client.put("/api/users/password/change/", {"password": "NewSecure@Pass9"})
    assert changed.status_code == 200

    response = bearer(tokens["access"]).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "password_changed"
    assert bearer(changed.json()["access"]).get(ME).status_code == 200


def test_a_role_change_is_seen_by_the_next_request(session, patient):
    _tokens, client = session
    # A doctor-only list: the role gate reads the (cached) user's role. (Patient capability
    # follows the self profile, not the role, since issue 13.)
    assert client.get("/api/appointments/doctor/").status_code == 403

    patient.role_id = RoleId.DOCTOR
    patient.save(update_fields=["role"])

    after = client.get("/api/appointments/doctor/")
    assert (after.status_code, after.json()) == (200, [])  # a doctor now, with no appointments


def test_logout_ends_the_cached_access_token(session, api_client):
    tokens, client = session
    assert client.get(ME).status_code == 200

    assert api_client.post("/api/users/logout/", {"refresh": tokens["refresh"]}).status_code == 204

    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "session_revoked"


def test_a_deleted_user_is_not_served_from_the_cache(session, patient):
    _tokens, client = session
    assert client.get(ME).status_code == 200

    User.objects.filter(pk=patient.pk).delete()

    assert client.get(ME).status_code == 401


def test_a_queryset_update_calls_forget_user(session, patient):
    """`update()` sends no signal: the services that use it on users call forget_user, which
    moves the version (so the stored entry is never read again)."""
    tokens, client = session
    client.get(ME)
    sid = AccessToken(tokens["access"])["sid"]
    version, stored = auth_cache.lookup(patient.pk, sid)
    assert stored is not None  # the lookup is kept

    auth_cache.forget_user(patient.pk)

    moved, stored = auth_cache.lookup(patient.pk, sid)
    assert (moved != version, stored) == (True, None)  # and never used again


def test_clinic_owner_onboarding_by_update_is_seen_at_once(bearer, login):
    """clinic._mark_owner_onboarded sets the flags with update(): the owner's very next
    request with the same token sees a completed onboarding."""
    from clinic.services.clinics import _mark_owner_onboarded
    from users.tests.factories import ClinicOwnerFactory

    owner = ClinicOwnerFactory(is_partial_onboarding=True, is_complete_onboarding=False)
    tokens = login(str(owner.contact), DEFAULT_PASSWORD).json()
    client = bearer(tokens["access"])
    assert client.get(ME).json()["is_complete_onboarding"] is False

    _mark_owner_onboarded(owner)

    assert client.get(ME).json()["is_complete_onboarding"] is True


def test_the_entry_lives_no_longer_than_the_token(patient, settings):
    settings.AUTH_USER_CACHE_SECONDS = 900
    version, _ = auth_cache.lookup(patient.pk, "s1")
    import time

    auth_cache.put(patient.pk, "s1", version, patient, expires_at=int(time.time()) - 1)
    assert auth_cache.lookup(patient.pk, "s1") == (version, None)  # already expired
    auth_cache.put(patient.pk, "s1", version, patient, expires_at=int(time.time()) + 60)
    assert auth_cache.lookup(patient.pk, "s1") == (version, patient)


def test_a_verified_token_is_not_decoded_again(session, monkeypatch):
    from rest_framework_simplejwt.backends import TokenBackend

    _tokens, client = session
    decoded = []
    original = TokenBackend.decode

    def counting(self, token, verify=True):
        decoded.append(token)
        return original(self, token, verify)

    monkeypatch.setattr(TokenBackend, "decode", counting)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200
    assert len(decoded) == 1


def test_an_expired_token_is_refused_though_it_was_verified(session):
    import datetime as dt

    import time_machine

    _tokens, client = session
    assert client.get(ME).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
