"""Fixtures for the clinic API tests: owner clients, payloads and a freshly registered owner."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from users.tests.factories import ClinicOwnerFactory

NEW_CONTACT = 9988776655
NEW_CONTACT_E164 = "+919988776655"
STRONG_PASSWORD = "Blue-Lotus-Tea-42"


def temp_password_in(body: str) -> str:
    match = re.search(r"Temporary password: (\S+)", body)
    assert match, body
    return match.group(1)


def slot(**overrides: Any) -> dict[str, Any]:
    return {
        "day_of_week": 0,
        "start_time": "09:00",
        "end_time": "13:00",
        "slot_duration_minutes": 15,
        "max_appointments": 20,
        **overrides,
    }


def clinic_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "City Care Clinic",
        "clinic_type": "clinic",
        "phone": "9876543210",
        "email": "citycare@example.com",
        "address": "12, MG Road",
        "city": "Jaipur",
        "state": "Rajasthan",
        "pincode": "302001",
        "registration_number": "RJ-MED-2024-001",
        **overrides,
    }


def step3_payload(**overrides: Any) -> dict[str, Any]:
    return clinic_payload(**{"time_slots": [slot(day_of_week=0), slot(day_of_week=1)], **overrides})


@pytest.fixture
def new_owner(db):
    """A clinic owner right after registration step 2 (onboarding not complete)."""
    return ClinicOwnerFactory(
        name="Anil Gupta", is_partial_onboarding=True, is_complete_onboarding=False
    )


@pytest.fixture
def owner_client(client_for, clinic_owner) -> APIClient:
    return client_for(clinic_owner)


@pytest.fixture
def add_member(
    owner_client: APIClient, clinic, django_capture_on_commit_callbacks
) -> Callable[..., Any]:
    """POST a member to `clinic` as its owner, running the after-commit SMS task."""

    def add(client: APIClient | None = None, clinic_id: Any = None, **body: Any) -> Any:
        payload = {"contact": NEW_CONTACT, "name": "Dr. Suresh Yadav", "member_role": "doctor"}
        payload.update(body)
        payload = {key: value for key, value in payload.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return (client or owner_client).post(
                f"/api/clinics/{clinic_id or clinic.id}/members/", payload, format="json"
            )

    return add
