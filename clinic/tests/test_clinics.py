"""Clinics: public browse, the owner's list/create, detail, update and soft delete."""

import datetime as dt
import uuid

import pytest

from clinic.models import Clinic, ClinicMember
from clinic.tests.conftest import clinic_payload, slot
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from users.tests.factories import LabMemberFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db
PUBLIC = "/api/clinics/public/"


def detail(clinic_id) -> str:
    return f"/api/clinics/{clinic_id}/"


# --- public browse ---------------------------------------------------------------------


def test_public_list_shows_active_clinics_with_active_member_counts(
    api_client, clinic, other_clinic, doctor, receptionist, lab_member, other_doctor
):
    ClinicMemberFactory(clinic=clinic, status="inactive", left_at=dt.date.today())
    ClinicFactory(name="Closed Clinic", is_active=False)

    response = api_client.get(PUBLIC)

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    rows = {row["name"]: row for row in response.json()}
    assert list(rows) == ["Apollo Clinic", "City Care Clinic"]
    city = rows["City Care Clinic"]
    assert (city["member_count"], city["doctor_count"], city["staff_count"]) == (3, 1, 2)
    apollo = rows["Apollo Clinic"]
    assert (apollo["member_count"], apollo["doctor_count"], apollo["staff_count"]) == (1, 1, 0)
    assert city["id"] == str(clinic.id)
    assert city["slug"] == clinic.slug
    assert city["is_active"] is True


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?city=jaipur", ["City Care Clinic"]),
        ("?city=PUNE", ["Apollo Clinic", "Ruby Hall"]),
        ("?city=Jaip", []),
        ("?type=hospital", ["Ruby Hall"]),
        ("?type=clinic&city=pune", ["Apollo Clinic"]),
        ("?search=apollo", ["Apollo Clinic"]),
        ("?search=Sassoon", ["Ruby Hall"]),
        ("?search=pune", ["Apollo Clinic", "Ruby Hall"]),
        ("", ["Apollo Clinic", "City Care Clinic", "Ruby Hall"]),
    ],
)
def test_public_list_filters(api_client, clinic, other_clinic, query, expected):
    ClinicFactory(name="Ruby Hall", clinic_type="hospital", city="Pune", address="40, Sassoon Road")

    response = api_client.get(PUBLIC + query)

    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == expected


def test_public_list_rejects_an_unknown_type(api_client, clinic):
    response = api_client.get(PUBLIC + "?type=spa")

    assert response.status_code == 400
    assert "type" in response.json()


def test_public_list_is_paginated_as_a_bare_array(api_client, clinic_owner):
    ClinicFactory.create_batch(3, owner=clinic_owner)

    response = api_client.get(PUBLIC + "?page_size=2")

    assert response.status_code == 200
    assert len(response.json()) == 2
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize("rows", [2, 10])
def test_public_list_runs_a_constant_number_of_queries(
    api_client, clinic_owner, rows, django_assert_max_num_queries
):
    for clinic in ClinicFactory.create_batch(rows, owner=clinic_owner):
        ClinicMemberFactory(clinic=clinic)
        ClinicMemberFactory(clinic=clinic, user=ReceptionistFactory(), member_role="receptionist")
        ClinicMemberFactory(clinic=clinic, user=LabMemberFactory(), member_role="lab_member")

    with django_assert_max_num_queries(2):  # count + page
        response = api_client.get(PUBLIC)

    assert len(response.json()) == rows
    assert all(row["member_count"] == 3 for row in response.json())


# --- owner list / create ---------------------------------------------------------------


def test_owner_lists_own_clinics_including_soft_deleted(owner_client, clinic, other_clinic):
    closed = ClinicFactory(owner=clinic.owner, name="Old Branch", is_active=False)

    response = owner_client.get("/api/clinics/")

    assert response.status_code == 200
    assert [(row["id"], row["is_active"]) for row in response.json()] == [
        (str(clinic.id), True),
        (str(closed.id), False),
    ]


def test_owner_creates_a_clinic_with_optional_slots(owner_client, clinic_owner):
    response = owner_client.post(
        "/api/clinics/", clinic_payload(name="Second Branch", time_slots=[slot()]), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "second-branch"
    assert [s["day_name"] for s in body["time_slots"]] == ["Monday"]
    assert Clinic.objects.get(pk=body["id"]).owner == clinic_owner


def test_owner_creates_a_clinic_without_slots(owner_client):
    response = owner_client.post("/api/clinics/", clinic_payload(), format="json")

    assert response.status_code == 201
    assert response.json()["time_slots"] == []


def test_creating_a_clinic_completes_the_owners_onboarding(client_for):
    from users.tests.factories import ClinicOwnerFactory

    owner = ClinicOwnerFactory(is_partial_onboarding=True, is_complete_onboarding=False)

    assert (
        client_for(owner).post("/api/clinics/", clinic_payload(), format="json").status_code == 201
    )

    owner.refresh_from_db()
    assert (owner.is_complete_onboarding, owner.is_partial_onboarding) == (True, False)


@pytest.mark.parametrize(
    "persona", ["patient", "doctor", "receptionist", "lab_member", "superadmin"]
)
def test_non_owners_cannot_list_or_create_clinics(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get("/api/clinics/").status_code == 403
    assert client.post("/api/clinics/", clinic_payload(), format="json").status_code == 403


def test_anonymous_cannot_list_or_create_clinics(api_client):
    assert api_client.get("/api/clinics/").status_code == 401
    assert api_client.post("/api/clinics/", clinic_payload(), format="json").status_code == 401


# --- detail ----------------------------------------------------------------------------


def test_anyone_reads_an_active_clinic(api_client, clinic, doctor):
    response = api_client.get(detail(clinic.id))

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "City Care Clinic"
    assert body["member_count"] == 1
    assert isinstance(body["member_count"], int)


def test_an_inactive_clinic_is_hidden_except_from_its_owner(
    api_client, client_for, clinic, other_owner, patient
):
    Clinic.objects.filter(pk=clinic.pk).update(is_active=False)

    assert api_client.get(detail(clinic.id)).status_code == 404
    assert client_for(other_owner).get(detail(clinic.id)).status_code == 404
    assert client_for(patient).get(detail(clinic.id)).status_code == 404
    response = client_for(clinic.owner).get(detail(clinic.id))
    assert response.status_code == 200
    assert response.json()["is_active"] is False


@pytest.mark.parametrize("path", ["not-a-uuid/", "123/", "0000/"])
def test_non_uuid_clinic_ids_are_404(api_client, path):
    assert api_client.get(f"/api/clinics/{path}").status_code == 404


def test_unknown_clinic_is_404_with_a_message(api_client):
    response = api_client.get(detail("8c0d3a0e-4a8e-4c59-9d86-6f1f0f7d2b11"))

    assert response.status_code == 404
    assert response.json() == {"message": "Clinic not found.", "code": "clinic_not_found"}


def test_owner_updates_with_put_and_the_slug_stays(owner_client, clinic):
    response = owner_client.put(
        detail(clinic.id), clinic_payload(name="City Care Multispeciality"), format="json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "City Care Multispeciality"
    assert response.json()["slug"] == clinic.slug


def test_put_is_partial_and_changes_only_the_fields_sent(owner_client, clinic):
    before = Clinic.objects.filter(pk=clinic.pk).values().get()

    response = owner_client.put(detail(clinic.id), {"name": "Only a name"}, format="json")

    assert response.status_code == 200
    after = Clinic.objects.filter(pk=clinic.pk).values().get()
    assert {key for key in after if after[key] != before[key]} == {"name", "updated_at"}
    assert after["name"] == "Only a name"


def test_a_put_with_one_bad_field_changes_nothing(owner_client, clinic):
    response = owner_client.put(detail(clinic.id), {"name": "New name", "city": ""}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"city"}
    clinic.refresh_from_db()
    assert clinic.name == "City Care Clinic"


def test_the_clinic_echoed_back_with_a_change_is_accepted(owner_client, clinic):
    body = {**owner_client.get(detail(clinic.id)).json(), "description": "Open on Sundays"}

    response = owner_client.put(detail(clinic.id), body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["description"] == "Open on Sundays"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_id_owner_and_slug_cannot_be_changed(owner_client, clinic, other_owner, method):
    refused = {"id": str(uuid.uuid4()), "owner": str(other_owner.id), "slug": "mine-now"}

    response = getattr(owner_client, method)(
        detail(clinic.id), {**refused, "name": "Renamed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {key: ["This field cannot be changed here."] for key in refused}
    stored = Clinic.objects.get(pk=clinic.pk)
    assert (stored.owner_id, stored.slug, stored.name) == (
        clinic.owner_id,
        clinic.slug,
        "City Care Clinic",
    )


def test_a_clinic_is_created_for_its_owner_only(owner_client, clinic_owner, other_owner):
    refused = owner_client.post(
        "/api/clinics/", clinic_payload(owner=str(other_owner.id)), format="json"
    )
    own = owner_client.post(
        "/api/clinics/", clinic_payload(owner=str(clinic_owner.id)), format="json"
    )

    assert refused.status_code == 400
    assert refused.json() == {"owner": ["This field cannot be changed here."]}
    assert own.status_code == 201
    assert not Clinic.objects.filter(owner=other_owner, name="City Care Clinic").exists()


def test_owner_patches_one_field(owner_client, clinic):
    response = owner_client.patch(detail(clinic.id), {"timezone": "Asia/Dubai"}, format="json")

    assert response.status_code == 200
    clinic.refresh_from_db()
    assert (clinic.timezone, clinic.name) == ("Asia/Dubai", "City Care Clinic")


@pytest.mark.parametrize(
    "body",
    [
        {"clinic_type": "spa"},
        {"timezone": "Nowhere/City"},
        {"name": "n" * 201},
        {"address": "a" * 256},
        {"registration_number": "r" * 101},
        {"state": "s" * 101},
    ],
)
def test_bad_updates_are_400(owner_client, clinic, body):
    response = owner_client.patch(detail(clinic.id), body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == set(body)


def test_another_owner_cannot_change_or_delete_my_clinic(client_for, clinic, other_owner):
    client = client_for(other_owner)

    assert client.patch(detail(clinic.id), {"name": "Mine now"}, format="json").status_code == 403
    assert client.put(detail(clinic.id), clinic_payload(), format="json").status_code == 403
    assert client.delete(detail(clinic.id)).status_code == 403
    clinic.refresh_from_db()
    assert (clinic.name, clinic.is_active) == ("City Care Clinic", True)


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist", "lab_member"])
def test_patients_and_staff_cannot_change_a_clinic(client_for, request, clinic, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.patch(detail(clinic.id), {"name": "x"}, format="json").status_code == 403
    assert client.delete(detail(clinic.id)).status_code == 403


def test_anonymous_cannot_change_a_clinic(api_client, clinic):
    assert api_client.patch(detail(clinic.id), {"name": "x"}, format="json").status_code == 401
    assert api_client.delete(detail(clinic.id)).status_code == 401


def test_delete_is_soft_hides_the_clinic_and_releases_its_staff(
    owner_client, api_client, clinic, doctor, receptionist, client_for, other_owner
):
    response = owner_client.delete(detail(clinic.id))

    assert response.status_code == 204
    clinic.refresh_from_db()
    assert clinic.is_active is False
    assert set(ClinicMember.objects.values_list("status", flat=True)) == {"inactive"}
    assert set(ClinicMember.objects.values_list("left_at", flat=True)) == {dt.date.today()}
    assert api_client.get(detail(clinic.id)).status_code == 404
    assert api_client.get(PUBLIC).json() == []
    # The doctor is free to join another clinic.
    from clinic.tests.factories import ClinicFactory as Factory

    elsewhere = Factory(owner=other_owner)
    added = client_for(other_owner).post(
        f"/api/clinics/{elsewhere.id}/members/",
        {"contact": int(str(doctor.contact)[3:]), "member_role": "doctor"},
        format="json",
    )
    assert added.status_code == 201


def test_owner_restores_a_soft_deleted_clinic(owner_client, api_client, clinic):
    owner_client.delete(detail(clinic.id))

    response = owner_client.patch(detail(clinic.id), {"is_active": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert api_client.get(detail(clinic.id)).status_code == 200


def test_patch_is_active_false_is_the_same_soft_delete(owner_client, clinic, doctor):
    response = owner_client.patch(detail(clinic.id), {"is_active": False}, format="json")

    assert response.status_code == 200
    assert ClinicMember.objects.get(user=doctor).status == "inactive"
