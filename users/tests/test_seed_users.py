"""demo.seed_users: idempotent local superuser and demo patient."""

import pytest

from demo.seed_users import seed_users
from users.models import User

pytestmark = pytest.mark.django_db


def test_seed_users_is_idempotent_and_logs_in(login):
    summary = seed_users()
    assert "9999999999" in summary
    seed_users()
    assert User.objects.filter(contact="+919999999999", is_superuser=True).count() == 1
    assert login(9999999999, "admin@123").status_code == 200
    assert login(9876500001, "Quick@Care2026").json()["user"]["is_complete_onboarding"] is True


def test_demo_patient_has_a_profile_and_one_current_address(client_for):
    seed_users()
    seed_users()
    patient = User.objects.get(contact="+919876500001")
    client = client_for(patient)
    assert client.get("/api/users/me/medical-profile/").json()["height_cm"] == 175
    addresses = client.get("/api/users/address/").json()
    assert len(addresses) == 1
    assert addresses[0]["is_current"] is True
