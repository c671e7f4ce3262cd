"""Registration and addresses under concurrency (PostgreSQL: real row locks, real races)."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.testing import race
from users.models import PendingRegistration, User, UserAddress
from users.tests.conftest import NEW_CONTACT, NEW_CONTACT_E164

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def verify(code: str) -> Callable[[], object]:
    return lambda: APIClient().post(
        "/api/users/onboarding/patient/step2/", {"contact": NEW_CONTACT, "otp": code}
    )


def test_the_same_code_verified_twice_at_once_creates_one_account(send_otp, last_otp):
    send_otp()
    code = last_otp()
    responses = race([verify(code), verify(code), verify(code)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 201
    assert statuses[1:] in ([400, 400], [400, 409], [409, 409]), statuses
    assert User.objects.filter(contact=NEW_CONTACT_E164).count() == 1


def test_parallel_wrong_codes_never_exceed_the_attempt_limit(send_otp, last_otp):
    send_otp()
    wrong = "000000" if last_otp() != "000000" else "111111"
    responses = race([verify(wrong) for _ in range(8)])
    assert all(r.status_code == 400 for r in responses)
    assert PendingRegistration.objects.get().attempts == 5
    codes = [r.json()["code"] for r in responses]
    assert codes.count("otp_invalid") == 4
    assert codes.count("otp_attempts_exceeded") == 4


def test_two_addresses_made_current_at_once_leave_one_current(client_for, patient):
    clients = [client_for(patient), client_for(patient)]
    calls = [
        lambda c=c, town=town: c.post(
            "/api/users/address/", {"town": town, "is_current": True}, format="json"
        )
        for c, town in zip(clients, ["Jaipur", "Pune"], strict=True)
    ]
    responses = race(calls)
    assert all(r.status_code in (201, 409) for r in responses)
    assert UserAddress.objects.filter(user=patient, is_current=True).count() == 1
