"""`/api/users/me/dependents/`: the people an account books for; and the self profile every
account gets, mirrored from the account (issue 13)."""

import datetime as dt

import pytest

from appointments.tests.factories import AppointmentFactory
from users.models import MedicalProfile, PatientProfile, UserAddress
from users.tests.factories import DoctorUserFactory, PatientFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db
URL = "/api/users/me/dependents/"


def test_every_account_has_one_self_profile_with_its_own_id():
    patient = PatientFactory(name="Asha Rao", age=41, gender="female", blood_group="B+")
    doctor = DoctorUserFactory()
    own = PatientProfile.objects.get(account=patient, relation="self")
    assert (own.pk, own.name, own.age, own.gender, own.blood_group) == (
        patient.pk,
        "Asha Rao",
        41,
        "female",
        "B+",
    )
    assert own.patient_enabled
    staff_own = PatientProfile.objects.get(account=doctor, relation="self")
    assert staff_own.pk == doctor.pk
    assert not staff_own.patient_enabled
    with pytest.raises(Exception):  # noqa: B017 - the database refuses a second self profile
        PatientProfile.objects.create(account=patient, relation="self", name="Twin")


def test_the_self_profile_follows_the_accounts_fields_medical_profile_and_address(
    patient, client_for
):
    client = client_for(patient)
    client.patch("/api/users/me/", {"name": "Rahul K. Sharma", "age": 31}, format="json")
    client.put("/api/users/me/medical-profile/", {"allergies": "Penicillin"}, format="json")
    client.post(
        "/api/users/address/",
        {"town": "Jaipur", "pincode": "302001", "is_current": True},
        format="json",
    )
    own = PatientProfile.objects.get(pk=patient.pk)
    assert (own.name, own.age, own.allergies, own.town) == (
        "Rahul K. Sharma",
        31,
        "Penicillin",
        "Jaipur",
    )
    address = UserAddress.objects.get(user=patient)
    assert client.delete(f"/api/users/address/{address.pk}/").status_code == 204
    assert PatientProfile.objects.get(pk=patient.pk).town == ""
    assert MedicalProfile.objects.get(user=patient).allergies == "Penicillin"


def test_create_list_update_and_delete_a_dependent(patient, client_for):
    client = client_for(patient)
    created = client.post(
        URL,
        {
            "relation": "child",
            "name": "Aarav Sharma",
            "gender": "male",
            "date_of_birth": "2019-05-01",
            "allergies": "Peanuts",
            "town": "Jaipur",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["relation"] == "child"
    assert body["allergies"] == "Peanuts"
    assert body["age"] == PatientProfile.objects.get(pk=body["id"]).age >= 6
    assert created["Location"].endswith(f"{URL}{body['id']}/")
    assert [item["id"] for item in client.get(URL).json()] == [body["id"]]

    changed = client.patch(f"{URL}{body['id']}/", {"blood_group": "O+"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["blood_group"] == "O+"
    assert client.delete(f"{URL}{body['id']}/").status_code == 204
    assert client.get(URL).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"relation": "self", "name": "Me again"},
        {"relation": "child"},
        {"relation": "child", "name": "A", "date_of_birth": "2999-01-01"},
        {"relation": "child", "name": "A", "account": "someone"},
        {"relation": "child", "name": "A", "pincode": "12"},
    ],
)
def test_bad_dependent_input_is_400(patient, client_for, body):
    response = client_for(patient).post(URL, body, format="json")
    assert response.status_code == 400, response.content


def test_a_dependent_is_only_reachable_by_its_holder(patient, other_patient, client_for):
    child = dependent_of(patient)
    theirs = client_for(other_patient)
    assert theirs.get(f"{URL}{child.pk}/").status_code == 404
    assert theirs.patch(f"{URL}{child.pk}/", {"name": "X"}, format="json").status_code == 404
    assert theirs.delete(f"{URL}{child.pk}/").status_code == 404
    assert theirs.get(URL).json() == []
    # The holder's own profile is not a dependent.
    assert client_for(patient).get(f"{URL}{patient.pk}/").status_code == 404


def test_a_dependent_with_history_is_not_deleted(patient, client_for, doctor_profile, clinic):
    child = dependent_of(patient)
    AppointmentFactory(patient=patient, patient_profile=child, doctor=doctor_profile, clinic=clinic)
    response = client_for(patient).delete(f"{URL}{child.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "profile_has_history"
    assert PatientProfile.objects.filter(pk=child.pk).exists()


def test_age_is_derived_from_the_date_of_birth_else_stated():
    born = dt.date.today().replace(year=dt.date.today().year - 10)
    assert PatientProfile(date_of_birth=born, stated_age=3).age == 10
    assert PatientProfile(stated_age=3).age == 3


def test_staff_turn_on_their_own_patient_profile_and_can_then_book(doctor, client_for):
    client = client_for(doctor)
    assert client.get(URL).status_code == 403
    enabled = client.post("/api/users/me/patient-profile/")
    assert enabled.status_code == 200
    assert enabled.json()["patient_enabled"] is True
    assert client.get(URL).status_code == 200
    assert client.get("/api/appointments/my/").status_code == 200
    assert client.get("/api/users/me/").json()["roles"]["name"] == "is_doctor"


def test_an_account_holds_at_most_the_configured_number_of_dependents(
    patient, client_for, settings
):
    settings.MAX_DEPENDENTS_PER_ACCOUNT = 2
    client = client_for(patient)
    for name in ("Aarav", "Diya"):
        body = {"name": name, "relation": "child"}
        assert client.post(URL, body, format="json").status_code == 201
    response = client.post(URL, {"name": "Kabir", "relation": "child"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "dependents_limit"
    assert [row["name"] for row in client.get(URL).json()] == ["Aarav", "Diya"]
