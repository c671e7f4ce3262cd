"""Fixtures for the users API tests: registration helpers and tokens with a chosen auth_time."""

import re
from collections.abc import Callable

import pytest
from rest_framework.response import Response
from rest_framework.test import APIClient

STRONG_PASSWORD = "Blue-Lotus-Tea-42"
NEW_CONTACT = 9876543210
NEW_CONTACT_E164 = "+919876543210"


def otp_in(body: str) -> str:
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def send_otp(api_client: APIClient, django_capture_on_commit_callbacks) -> Callable[..., Response]:
    """POST step 1 (patient by default) and run the SMS task that follows the commit."""

    def send(
        contact: object = NEW_CONTACT,
        name: str = "Rahul Sharma",
        password: str = STRONG_PASSWORD,
        flow: str = "patient",
        client: APIClient | None = None,
    ) -> Response:
        with django_capture_on_commit_callbacks(execute=True):
            return (client or api_client).post(
                f"/api/users/onboarding/{flow}/step1/",
                {"contact": contact, "name": name, "password": password},
                format="json",
            )

    return send


@pytest.fixture
def last_otp(sms_outbox) -> Callable[[], str]:
    def get() -> str:
        assert sms_outbox, "no SMS was sent"
        return otp_in(sms_outbox[-1].body)

    return get


@pytest.fixture
def verify_otp(api_client: APIClient) -> Callable[..., Response]:
    def verify(otp: object, contact: object = NEW_CONTACT, flow: str = "patient") -> Response:
        return api_client.post(
            f"/api/users/onboarding/{flow}/step2/",
            {"contact": contact, "otp": otp},
            format="json",
        )

    return verify


@pytest.fixture
def bearer() -> Callable[[str], APIClient]:
    def make(access: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        return client

    return make


@pytest.fixture
def login(api_client: APIClient) -> Callable[..., Response]:
    def do(contact: object, password: str = "Quick@Care2026") -> Response:
        return api_client.post(
            "/api/users/login/", {"contact": contact, "password": password}, format="json"
        )

    return do
