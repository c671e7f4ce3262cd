"""GET/PUT/PATCH /api/users/me/: the current user, partial updates, no mass assignment."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from core.roles import RoleId
from users.tests.factories import DoctorUserFactory, PatientFactory

pytestmark = pytest.mark.django_db
URL = "/api/users/me/"


def test_get_me_returns_the_user_object(client_for, patient):
    response = client_for(patient).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "id": str(patient.id),
        "name": "Rahul Sharma",
        "contact": int(str(patient.contact)[3:]),
        "email": "",
        "gender": "male",
        "age": 30,
        "blood_group": "",
        "roles": {"id": 3, "name": "is_patient"},
        "is_partial_onboarding": False,
        "is_complete_onboarding": True,
    }
    assert isinstance(response.json()["contact"], int)


def test_get_me_runs_one_query(client_for, patient, django_assert_max_num_queries):
    client = client_for(patient)
    with django_assert_max_num_queries(1):
        client.get(URL)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial(client_for, patient, method):
    response = getattr(client_for(patient), method)(
        URL, {"name": "Rahul S.", "email": "rahul@example.com"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Rahul S."
    assert response.json()["email"] == "rahul@example.com"
    assert response.json()["age"] == 30
    patient.refresh_from_db()
    assert patient.email == "rahul@example.com"


def test_update_all_profile_fields(client_for, patient):
    body = {"gender": "female", "age": 41, "blood_group": "O-", "email": ""}
    response = client_for(patient).put(URL, body, format="json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in body} == body


def test_role_flags_and_contact_sent_with_other_values_are_400_naming_each(client_for, patient):
    contact = str(patient.contact)
    refused = {
        "role": 1,
        "role_id": 1,
        "roles": {"id": 1, "name": "is_superadmin"},
        "is_staff": True,
        "is_superuser": True,
        "is_active": False,
        "is_partial_onboarding": True,
        "is_complete_onboarding": False,
        "contact": 9000000001,
        "id": "00000000-0000-0000-0000-000000000000",
    }
    response = client_for(patient).put(
        URL,
        {"name": "Not Saved", **refused, "password": "Changed-Here-99"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {key: ["This field cannot be changed here."] for key in refused}
    patient.refresh_from_db()
    assert patient.name == "Rahul Sharma"
    assert patient.role_id == RoleId.PATIENT
    assert (patient.is_staff, patient.is_superuser, patient.is_active) == (False, False, True)
    assert (patient.is_partial_onboarding, patient.is_complete_onboarding) == (False, True)
    assert str(patient.contact) == contact
    assert patient.check_password("Quick@Care2026")


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_whole_user_object_echoed_back_with_a_new_name_is_accepted(client_for, patient, method):
    client = client_for(patient)
    body = {**client.get(URL).json(), "name": "Rahul S."}
    response = getattr(client, method)(URL, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == body


@pytest.mark.parametrize(
    "contact", ["+919876543210", "9876543210", "09876543210", "919876543210", 9876543210]
)
def test_the_stored_contact_in_any_accepted_form_is_not_a_change(client_for, db, contact):
    user = PatientFactory(contact="+919876543210")
    response = client_for(user).put(URL, {"contact": contact, "age": 31}, format="json")
    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert (str(user.contact), user.age) == ("+919876543210", 31)


def test_a_put_with_one_bad_field_changes_nothing(client_for, patient):
    response = client_for(patient).put(URL, {"name": "New", "email": "nope"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    patient.refresh_from_db()
    assert patient.name == "Rahul Sharma"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", "abc"),
        ("age", 200),
        ("email", "nope"),
        ("gender", "x"),
        ("blood_group", "Z"),
        ("name", ""),
        ("name", "n" * 151),
    ],
)
def test_bad_values_are_400(client_for, patient, field, value):
    response = client_for(patient).put(URL, {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_me_without_a_token_is_401(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json() == {
        "message": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


@pytest.mark.parametrize("header", ["Bearer abc.def.ghi", "Bearer ", "Token x", "Bearer a b"])
def test_me_with_a_broken_token_is_401(api_client, header, db):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get(URL).status_code == 401


def test_me_with_a_tampered_token_is_401(api_client, patient):
    access = str(RefreshToken.for_user(patient).access_token)
    header, payload, signature = access.split(".")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {header}.{payload}.{signature[::-1]}")
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_me_with_an_expired_token_is_401(client_for, patient, time_machine, settings):
    client = client_for(patient)
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    time_machine.move_to(timezone.now() + lifetime + timedelta(seconds=5))
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_an_inactive_users_token_stops_working(client_for, patient):
    client = client_for(patient)
    patient.is_active = False
    patient.save()
    assert client.get(URL).status_code == 401


def test_partial_staff_may_read_and_update_me(client_for, db):
    doctor = DoctorUserFactory(is_partial_onboarding=True, is_complete_onboarding=False)
    client = client_for(doctor)
    assert client.get(URL).status_code == 200
    assert client.patch(URL, {"name": "Dr. New"}, format="json").status_code == 200
