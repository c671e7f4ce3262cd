"""/api/users/address/ and /api/users/address/<id>/: CRUD, one current address per user."""

import pytest

from users.models import UserAddress
from users.tests.factories import DoctorUserFactory, UserAddressFactory

pytestmark = pytest.mark.django_db
LIST = "/api/users/address/"


def detail(address_id: object) -> str:
    return f"/api/users/address/{address_id}/"


def expected(address: UserAddress) -> dict:
    return {
        "id": address.id,
        "area": address.area,
        "house_no": address.house_no,
        "town": address.town,
        "state": address.state,
        "pincode": address.pincode,
        "landmark": address.landmark,
        "address_type": address.address_type,
        "is_current": address.is_current,
        "created_at": address.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": address.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_empty_list_is_a_bare_array(client_for, patient):
    response = client_for(patient).get(LIST)
    assert response.status_code == 200
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


def test_list_shows_only_my_addresses_current_first(client_for, patient, other_patient):
    first = UserAddressFactory(user=patient, town="Jaipur")
    current = UserAddressFactory(user=patient, town="Ajmer", is_current=True)
    UserAddressFactory(user=other_patient, town="Pune")
    response = client_for(patient).get(LIST)
    assert response.json() == [expected(current), expected(first)]


def test_list_is_paginated_with_headers(client_for, patient):
    UserAddressFactory.create_batch(5, user=patient)
    response = client_for(patient).get(LIST, {"page_size": 2, "page": 2})
    assert len(response.json()) == 2
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"]
    assert 'rel="prev"' in response["Link"]


def test_list_query_count_does_not_grow(client_for, patient, django_assert_max_num_queries):
    client = client_for(patient)
    UserAddressFactory.create_batch(2, user=patient)
    with django_assert_max_num_queries(3):
        client.get(LIST)
    UserAddressFactory.create_batch(15, user=patient)
    with django_assert_max_num_queries(3):
        assert len(client.get(LIST).json()) == 17


def test_create_an_address(client_for, patient):
    body = {
        "area": "MG Road",
        "house_no": "12A",
        "town": "Jaipur",
        "state": "Rajasthan",
        "pincode": "302001",
        "landmark": "Near SBI",
        "address_type": "work",
        "is_current": True,
    }
    response = client_for(patient).post(LIST, body, format="json")
    assert response.status_code == 201
    address = UserAddress.objects.get(user=patient)
    assert response.json() == expected(address)
    assert {k: response.json()[k] for k in body} == body


def test_create_defaults_to_a_non_current_home_address(client_for, patient):
    response = client_for(patient).post(LIST, {"town": "Jaipur"}, format="json")
    assert response.json()["address_type"] == "home"
    assert response.json()["is_current"] is False


def test_a_new_current_address_unsets_the_old_one(client_for, patient):
    old = UserAddressFactory(user=patient, is_current=True)
    response = client_for(patient).post(LIST, {"town": "Pune", "is_current": True}, format="json")
    assert response.status_code == 201
    old.refresh_from_db()
    assert old.is_current is False
    assert UserAddress.objects.filter(user=patient, is_current=True).count() == 1


def test_making_another_users_address_current_is_unaffected(client_for, patient, other_patient):
    theirs = UserAddressFactory(user=other_patient, is_current=True)
    client_for(patient).post(LIST, {"town": "Pune", "is_current": True}, format="json")
    theirs.refresh_from_db()
    assert theirs.is_current is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("address_type", "office"),
        ("pincode", "1234"),
        ("pincode", "abcdef"),
        ("is_current", "maybe"),
        ("area", "a" * 256),
        ("town", ["Jaipur"]),
    ],
)
def test_bad_values_are_400(client_for, patient, field, value):
    response = client_for(patient).post(LIST, {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not UserAddress.objects.exists()


def test_get_one(client_for, patient):
    address = UserAddressFactory(user=patient)
    response = client_for(patient).get(detail(address.id))
    assert response.status_code == 200
    assert response.json() == expected(address)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial(client_for, patient, method):
    address = UserAddressFactory(user=patient, town="Jaipur", landmark="Old")
    response = getattr(client_for(patient), method)(
        detail(address.id), {"landmark": "New", "is_current": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["landmark"] == "New"
    assert response.json()["town"] == "Jaipur"
    assert response.json()["is_current"] is True


def test_update_to_current_unsets_the_other(client_for, patient):
    current = UserAddressFactory(user=patient, is_current=True)
    other = UserAddressFactory(user=patient)
    client_for(patient).put(detail(other.id), {"is_current": True}, format="json")
    current.refresh_from_db()
    assert current.is_current is False


def test_update_with_bad_values_is_400(client_for, patient):
    address = UserAddressFactory(user=patient)
    response = client_for(patient).put(detail(address.id), {"address_type": "x"}, format="json")
    assert response.status_code == 400


def test_delete(client_for, patient):
    address = UserAddressFactory(user=patient)
    client = client_for(patient)
    response = client.delete(detail(address.id))
    assert response.status_code == 204
    assert client.get(detail(address.id)).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_address_is_404(client_for, patient, other_patient, method):
    theirs = UserAddressFactory(user=other_patient, town="Pune")
    response = getattr(client_for(patient), method)(detail(theirs.id), {"town": "X"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": "Address not found.", "code": "address_not_found"}
    theirs.refresh_from_db()
    assert theirs.town == "Pune"


@pytest.mark.parametrize("address_id", ["abc", "1.5", "-1", "00000000-0000-0000-0000-000000000000"])
def test_non_integer_ids_are_404(client_for, patient, address_id):
    assert client_for(patient).get(detail(address_id)).status_code == 404


def test_unknown_id_is_404(client_for, patient):
    assert client_for(patient).get(detail(999999)).status_code == 404


def test_addresses_need_a_token(api_client):
    assert api_client.get(LIST).status_code == 401
    assert api_client.post(LIST, {}, format="json").status_code == 401
    assert api_client.get(detail(1)).status_code == 401


def test_partial_staff_are_sent_to_onboarding(client_for, db):
    doctor = DoctorUserFactory(is_partial_onboarding=True, is_complete_onboarding=False)
    response = client_for(doctor).get(LIST)
    assert response.status_code == 403
    assert response.json() == {
        "message": "Please complete your onboarding to access this feature.",
        "code": "onboarding_required",
        "onboarding_required": True,
        "onboarding_url": "/api/users/onboarding/member/complete/",
    }


def test_a_put_with_one_field_changes_only_it(client_for, patient):
    address = UserAddressFactory(user=patient, town="Jaipur", landmark="Old", pincode="302001")
    response = client_for(patient).put(detail(address.id), {"town": "Ajmer"}, format="json")
    assert response.status_code == 200
    address.refresh_from_db()
    assert (address.town, address.landmark, address.pincode) == ("Ajmer", "Old", "302001")


def test_a_put_with_one_bad_field_changes_nothing(client_for, patient):
    address = UserAddressFactory(user=patient, town="Jaipur", pincode="302001")
    response = client_for(patient).put(
        detail(address.id), {"town": "Ajmer", "pincode": "12"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"pincode"}
    address.refresh_from_db()
    assert (address.town, address.pincode) == ("Jaipur", "302001")


def test_the_address_echoed_back_is_accepted_and_another_id_is_400(client_for, patient):
    address = UserAddressFactory(user=patient, town="Jaipur")
    client = client_for(patient)
    body = client.get(detail(address.id)).json()

    echoed = client.put(detail(address.id), {**body, "town": "Ajmer"}, format="json")
    moved = client.put(detail(address.id), {**body, "id": address.id + 1}, format="json")

    assert echoed.status_code == 200, echoed.json()
    assert echoed.json()["town"] == "Ajmer"
    assert moved.status_code == 400
    assert moved.json() == {"id": ["This field cannot be changed here."]}


def test_an_address_cannot_be_given_to_another_user(client_for, patient, other_patient):
    client = client_for(patient)
    created = client.post(LIST, {"town": "Pune", "user": str(other_patient.id)}, format="json")
    own = client.post(LIST, {"town": "Pune", "user": str(patient.id)}, format="json")
    assert created.status_code == 400
    assert created.json() == {"user": ["This field cannot be changed here."]}
    assert own.status_code == 201
    assert not UserAddress.objects.filter(user=other_patient).exists()
