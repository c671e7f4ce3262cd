"""Login failures are counted per contact and client address, under a per-contact ceiling
across all addresses: nobody can lock a stranger out, and a distributed guess still stops."""

from datetime import timedelta

import pytest
from django.utils import timezone

from users.tests.factories import DEFAULT_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db
WRONG = "Wrong-Password-1"


@pytest.fixture
def raj(db):
    return PatientFactory(contact="+919876543210")


@pytest.fixture
def login_from(api_client):
    def do(address: str, password: str, contact: object = 9876543210):
        return api_client.post(
            "/api/users/login/",
            {"contact": contact, "password": password},
            format="json",
            REMOTE_ADDR=address,
        )

    return do


def test_wrong_passwords_from_one_address_do_not_stop_the_owner_elsewhere(
    login_from, raj, settings
):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert login_from("203.0.113.5", WRONG).status_code == 401
    assert login_from("203.0.113.5", DEFAULT_PASSWORD).status_code == 429
    assert login_from("198.51.100.7", DEFAULT_PASSWORD).status_code == 200


@pytest.mark.usefixtures("clock_driven_cache")
def test_the_per_contact_ceiling_stops_a_distributed_guess(login_from, raj, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.LOGIN_MAX_FAILURES_PER_CONTACT = 12
    for n in range(12):  # 3 addresses, 4 failures each: no address reaches its own limit
        assert login_from(f"203.0.113.{n % 3}", WRONG).status_code == 401
    locked = login_from("198.51.100.7", DEFAULT_PASSWORD)  # a fresh address, right password
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert locked.json()["message"] == (
        "Too many failed login attempts for this contact number. Try again in 15 minutes."
    )
    time_machine.shift(timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1))
    assert login_from("198.51.100.7", DEFAULT_PASSWORD).status_code == 200


def test_the_ceiling_defaults_above_the_per_address_limit(settings):
    assert settings.LOGIN_MAX_FAILURES == 5
    assert settings.LOGIN_MAX_FAILURES_PER_CONTACT == 20


def test_the_counters_use_the_normalised_contact(login_from, raj, settings):
    forms = ["9876543210", "+919876543210", "09876543210", "919876543210", 9876543210]
    for n in range(settings.LOGIN_MAX_FAILURES):
        login_from("203.0.113.5", WRONG, contact=forms[n % len(forms)])
    assert login_from("203.0.113.5", DEFAULT_PASSWORD, contact="+91 98765 43210").status_code == (
        429
    )


def test_the_address_comes_from_x_forwarded_for_behind_a_trusted_proxy(api_client, raj, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def attempt(client_address: str, password: str):
        return api_client.post(
            "/api/users/login/",
            {"contact": 9876543210, "password": password},
            format="json",
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt("203.0.113.5", WRONG)
    assert attempt("203.0.113.5", DEFAULT_PASSWORD).status_code == 429
    assert attempt("198.51.100.7", DEFAULT_PASSWORD).status_code == 200
