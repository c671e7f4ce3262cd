"""GET/PUT/PATCH /api/users/me/medical-profile/."""

import pytest

from users.models import MedicalProfile
from users.tests.factories import MedicalProfileFactory

pytestmark = pytest.mark.django_db
URL = "/api/users/me/medical-profile/"

EMPTY = {
    "allergies": "",
    "chronic_conditions": "",
    "current_medications": "",
    "past_surgeries": "",
    "family_history": "",
    "height_cm": None,
    "weight_kg": None,
    "emergency_contact_name": "",
    "emergency_contact_number": None,
    "updated_at": None,
}


def test_get_before_anything_was_filled_in_is_an_empty_profile(client_for, patient):
    response = client_for(patient).get(URL)
    assert response.status_code == 200
    assert response.json() == EMPTY
    assert not MedicalProfile.objects.exists()


def test_get_returns_the_stored_profile(client_for, patient, django_assert_max_num_queries):
    MedicalProfileFactory(user=patient, allergies="Dust", height_cm=170, weight_kg="65.25")
    client = client_for(patient)
    with django_assert_max_num_queries(2):
        response = client.get(URL)
    body = response.json()
    assert body["allergies"] == "Dust"
    assert body["height_cm"] == 170
    assert body["weight_kg"] == "65.25"
    assert body["updated_at"] is not None


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial_and_persists(client_for, patient, method):
    MedicalProfileFactory(user=patient, allergies="Dust", chronic_conditions="Asthma")
    client = client_for(patient)
    response = getattr(client, method)(
        URL,
        {"allergies": "Pollen", "weight_kg": 72, "emergency_contact_number": "+919123456789"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["allergies"] == "Pollen"
    assert body["chronic_conditions"] == "Asthma"
    assert body["weight_kg"] == "72.00"
    assert body["emergency_contact_number"] == 9123456789
    assert client.get(URL).json() == body


def test_values_can_be_cleared(client_for, patient):
    MedicalProfileFactory(user=patient, height_cm=170, emergency_contact_number="+919123456789")
    response = client_for(patient).put(
        URL, {"height_cm": None, "emergency_contact_number": "", "allergies": None}, format="json"
    )
    assert response.json()["height_cm"] is None
    assert response.json()["emergency_contact_number"] is None
    assert response.json()["allergies"] == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("height_cm", "tall"),
        ("height_cm", 301),
        ("height_cm", "NaN"),
        ("weight_kg", "Infinity"),
        ("weight_kg", "heavy"),
        ("weight_kg", 1000),
        ("emergency_contact_number", "abc"),
        ("family_history", "x" * 2001),
    ],
)
def test_bad_values_are_400(client_for, patient, field, value):
    response = client_for(patient).put(URL, {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MedicalProfile.objects.exists()


def test_other_roles_have_their_own_profile(client_for, clinic_owner, patient):
    MedicalProfileFactory(user=patient, allergies="Dust")
    response = client_for(clinic_owner).get(URL)
    assert response.json()["allergies"] == ""


def test_medical_profile_needs_a_token(api_client):
    assert api_client.get(URL).status_code == 401


def test_a_put_with_one_field_changes_only_it(client_for, patient):
    MedicalProfileFactory(
        user=patient, allergies="Dust", chronic_conditions="Asthma", height_cm=170
    )
    response = client_for(patient).put(URL, {"height_cm": 172.0}, format="json")
    assert response.status_code == 200
    profile = MedicalProfile.objects.get(user=patient)
    assert (profile.allergies, profile.chronic_conditions, profile.height_cm) == (
        "Dust",
        "Asthma",
        172,
    )


def test_a_put_with_one_bad_field_changes_nothing(client_for, patient):
    MedicalProfileFactory(user=patient, allergies="Dust", height_cm=170)
    response = client_for(patient).put(
        URL, {"allergies": "Pollen", "height_cm": 5000}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"height_cm"}
    profile = MedicalProfile.objects.get(user=patient)
    assert (profile.allergies, profile.height_cm) == ("Dust", 170)


def test_another_user_as_owner_is_400_and_the_own_id_is_accepted(
    client_for, patient, other_patient
):
    client = client_for(patient)
    refused = client.put(URL, {"user": str(other_patient.id), "allergies": "x"}, format="json")
    accepted = client.put(URL, {"user": str(patient.id), "allergies": "Pollen"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"user": ["This field cannot be changed here."]}
    assert accepted.status_code == 200
    assert MedicalProfile.objects.get(user=patient).allergies == "Pollen"
    assert not MedicalProfile.objects.filter(user=other_patient).exists()
