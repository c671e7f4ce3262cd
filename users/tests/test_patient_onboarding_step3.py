"""PUT/PATCH /api/users/onboarding/patient/step3/: profile, home address, medical details."""

import pytest

from core.roles import RoleId
from users.models import MedicalProfile, UserAddress
from users.tests.factories import PatientFactory, UserAddressFactory

pytestmark = pytest.mark.django_db
URL = "/api/users/onboarding/patient/step3/"

SPEC_BODY = {
    "gender": "male",
    "age": 28,
    "email": "rahul@example.com",
    "blood_group": "B+",
    "address_area": "Near City Hospital",
    "house_no": "12A",
    "town": "Jaipur",
    "state": "Rajasthan",
    "pincode": "302001",
    "landmark": "Opp. SBI Bank",
    "allergies": "Penicillin",
    "chronic_conditions": "None",
    "current_medications": "None",
    "past_surgeries": "Appendectomy 2020",
    "family_history": "Diabetes (father)",
    "height_cm": 175,
    "weight_kg": 70.5,
    "emergency_contact_name": "Priya Sharma",
    "emergency_contact_number": 9123456789,
}


@pytest.fixture
def new_patient(db):
    return PatientFactory(
        name="Rahul Sharma",
        gender="",
        age=None,
        is_partial_onboarding=True,
        is_complete_onboarding=False,
    )


@pytest.fixture
def client(new_patient, client_for):
    return client_for(new_patient)


def test_put_completes_registration_as_the_spec_shows(client, new_patient):
    response = client.put(URL, SPEC_BODY, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Registration complete! Welcome to QuickCare."
    assert body["user"] == {
        "id": str(new_patient.id),
        "name": "Rahul Sharma",
        "contact": int(str(new_patient.contact)[3:]),
        "email": "rahul@example.com",
        "gender": "male",
        "age": 28,
        "blood_group": "B+",
        "roles": {"id": 3, "name": "is_patient"},
        "is_partial_onboarding": False,
        "is_complete_onboarding": True,
    }
    profile = body["medical_profile"]
    assert profile["allergies"] == "Penicillin"
    assert profile["height_cm"] == 175
    assert profile["weight_kg"] == "70.50"
    assert profile["emergency_contact_number"] == 9123456789
    assert profile["emergency_contact_name"] == "Priya Sharma"

    address = UserAddress.objects.get(user=new_patient)
    assert (address.area, address.house_no, address.town, address.state) == (
        "Near City Hospital",
        "12A",
        "Jaipur",
        "Rajasthan",
    )
    assert (address.pincode, address.landmark) == ("302001", "Opp. SBI Bank")
    assert address.address_type == "home"
    assert address.is_current is True
    stored = MedicalProfile.objects.get(user=new_patient)
    assert str(stored.emergency_contact_number) == "+919123456789"
    assert stored.past_surgeries == "Appendectomy 2020"


def test_patch_with_the_mobile_clients_body(client, new_patient):
    body = {
        **SPEC_BODY,
        "height_cm": 175.0,
        "weight_kg": 70.5,
        "emergency_contact_number": "9123456789",
        "gender": "prefer_not_to_say",
    }
    response = client.patch(URL, body, format="json")
    assert response.status_code == 200
    assert response.json()["medical_profile"]["height_cm"] == 175
    new_patient.refresh_from_db()
    assert new_patient.is_complete_onboarding is True


def test_skip_sends_only_gender_and_age(client, new_patient):
    response = client.put(URL, {"gender": "female", "age": 31}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["gender"] == "female"
    assert response.json()["medical_profile"]["height_cm"] is None
    assert response.json()["medical_profile"]["emergency_contact_number"] is None
    assert not UserAddress.objects.filter(user=new_patient).exists()


def test_gender_and_age_are_required(client):
    response = client.put(URL, {"email": "a@b.co"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "gender": ["This field is required."],
        "age": ["This field is required."],
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", "abc"),
        ("age", -1),
        ("age", 151),
        ("age", True),
        ("gender", "robot"),
        ("blood_group", "C+"),
        ("email", "not-an-email"),
        ("pincode", "30200"),
        ("pincode", "30200A"),
        ("height_cm", "tall"),
        ("height_cm", 5),
        ("weight_kg", "heavy"),
        ("weight_kg", 0),
        ("weight_kg", 70.123),
        ("emergency_contact_number", "12345"),
        ("emergency_contact_number", "01123456789"),
        ("allergies", "x" * 2001),
        ("house_no", "x" * 51),
    ],
)
def test_bad_values_are_400_and_nothing_is_saved(client, new_patient, field, value):
    response = client.put(URL, {**SPEC_BODY, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    new_patient.refresh_from_db()
    assert new_patient.is_complete_onboarding is False
    assert not UserAddress.objects.exists()
    assert not MedicalProfile.objects.exists()


def test_fractional_height_is_rounded(client):
    response = client.put(URL, {**SPEC_BODY, "height_cm": 175.6}, format="json")
    assert response.json()["medical_profile"]["height_cm"] == 176


def test_role_flags_and_contact_cannot_be_set(client, new_patient):
    contact = str(new_patient.contact)
    refused = {
        "role": 1,
        "role_id": 1,
        "roles": {"id": 1, "name": "is_superadmin"},
        "is_staff": True,
        "is_superuser": True,
        "is_active": False,
        "contact": 9000000001,
        "id": "00000000-0000-0000-0000-000000000000",
    }
    response = client.put(URL, {**SPEC_BODY, **refused, "name": "Hacker"}, format="json")
    assert response.status_code == 400
    assert response.json() == {key: ["This field cannot be changed here."] for key in refused}
    new_patient.refresh_from_db()
    assert new_patient.role_id == RoleId.PATIENT
    assert new_patient.is_staff is False
    assert new_patient.is_superuser is False
    assert new_patient.is_active is True
    assert str(new_patient.contact) == contact
    assert new_patient.name == "Rahul Sharma"
    assert new_patient.is_complete_onboarding is False


def test_resubmitting_updates_the_current_home_address(client, new_patient):
    client.put(URL, SPEC_BODY, format="json")
    client.put(URL, {**SPEC_BODY, "town": "Udaipur"}, format="json")
    address = UserAddress.objects.get(user=new_patient)
    assert address.town == "Udaipur"
    assert MedicalProfile.objects.filter(user=new_patient).count() == 1


def test_a_current_work_address_gives_way_to_the_new_home(client, new_patient):
    work = UserAddressFactory(user=new_patient, address_type="work", is_current=True)
    client.put(URL, SPEC_BODY, format="json")
    work.refresh_from_db()
    assert work.is_current is False
    assert UserAddress.objects.get(user=new_patient, is_current=True).address_type == "home"


def test_only_patients_may_call_step3(client_for, clinic_owner):
    response = client_for(clinic_owner).put(URL, SPEC_BODY, format="json")
    assert response.status_code == 403
    assert response.json() == {"message": "Only patients can do this.", "code": "permission_denied"}


def test_step3_needs_a_token(api_client, db):
    response = api_client.put(URL, SPEC_BODY, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_step3_after_registration_end_to_end(send_otp, last_otp, verify_otp, bearer):
    send_otp()
    access = verify_otp(last_otp()).json()["access"]
    response = bearer(access).patch(URL, {"gender": "male", "age": 28}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["is_complete_onboarding"] is True


def test_step3_refuses_a_different_contact_or_role_and_accepts_the_stored_ones(client, new_patient):
    refused = client.put(
        URL, {**SPEC_BODY, "contact": 9000000001, "roles": {"id": 7}}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "contact": ["This field cannot be changed here."],
        "roles": ["This field cannot be changed here."],
    }
    new_patient.refresh_from_db()
    assert new_patient.is_complete_onboarding is False

    same = {"contact": str(new_patient.contact), "roles": {"id": 3, "name": "is_patient"}}
    accepted = client.patch(URL, {**SPEC_BODY, **same}, format="json")
    assert accepted.status_code == 200, accepted.json()
    new_patient.refresh_from_db()
    assert new_patient.role_id == RoleId.PATIENT
