"""The admission-documents checklist: public read, owner CRUD."""

import pytest

from clinic.models import AdmissionDocument

pytestmark = pytest.mark.django_db


def docs_url(clinic) -> str:
    return f"/api/clinics/{clinic.id}/admission-docs/"


@pytest.fixture
def id_proof(clinic):
    return AdmissionDocument.objects.create(
        clinic=clinic, name="Photo ID", description="Aadhaar or passport", display_order=1
    )


def test_owner_adds_an_item_and_anyone_reads_the_checklist(
    owner_client, api_client, clinic, id_proof
):
    response = owner_client.post(
        docs_url(clinic),
        {"name": "Insurance card", "is_mandatory": False, "display_order": 0},
        format="json",
    )

    assert response.status_code == 201
    created = AdmissionDocument.objects.get(name="Insurance card")
    assert response.json() == {
        "id": created.id,
        "clinic": str(clinic.id),
        "name": "Insurance card",
        "description": "",
        "is_mandatory": False,
        "display_order": 0,
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }
    listed = api_client.get(docs_url(clinic))
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()] == ["Insurance card", "Photo ID"]
    assert api_client.get(f"{docs_url(clinic)}{id_proof.id}/").json()["is_mandatory"] is True


def test_owner_changes_and_removes_an_item(owner_client, clinic, id_proof):
    url = f"{docs_url(clinic)}{id_proof.id}/"

    put = owner_client.put(url, {"name": "Government photo ID"}, format="json")
    patch = owner_client.patch(url, {"is_mandatory": False}, format="json")
    delete = owner_client.delete(url)

    assert put.status_code == 200
    assert put.json()["name"] == "Government photo ID"
    assert patch.json()["is_mandatory"] is False
    assert delete.status_code == 204
    assert not AdmissionDocument.objects.exists()
    assert owner_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": "ID", "description": "d" * 2001}, "description"),
        ({"name": "ID", "display_order": -1}, "display_order"),
        ({"name": "ID", "display_order": "first"}, "display_order"),
    ],
)
def test_bad_items_are_400(owner_client, clinic, body, field):
    response = owner_client.post(docs_url(clinic), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_checklist_of_an_inactive_clinic_is_hidden_publicly(api_client, clinic, id_proof):
    clinic.is_active = False
    clinic.save()

    assert api_client.get(docs_url(clinic)).status_code == 404


def test_an_item_of_another_clinic_is_404_under_mine(owner_client, clinic, other_clinic):
    theirs = AdmissionDocument.objects.create(clinic=other_clinic, name="X-ray")

    assert owner_client.get(f"{docs_url(clinic)}{theirs.id}/").status_code == 404
    assert owner_client.delete(f"{docs_url(clinic)}{theirs.id}/").status_code == 404
    assert owner_client.get(f"{docs_url(clinic)}not-an-int/").status_code == 404


def test_another_owner_cannot_edit_my_checklist(client_for, clinic, other_owner, id_proof):
    client = client_for(other_owner)

    assert client.post(docs_url(clinic), {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"{docs_url(clinic)}{id_proof.id}/").status_code == 403
    assert AdmissionDocument.objects.count() == 1


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist"])
def test_patients_and_staff_read_but_cannot_edit(client_for, request, clinic, id_proof, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(docs_url(clinic)).status_code == 200
    assert client.post(docs_url(clinic), {"name": "x"}, format="json").status_code == 403


def test_anonymous_cannot_edit_the_checklist(api_client, clinic, id_proof):
    assert api_client.post(docs_url(clinic), {"name": "x"}, format="json").status_code == 401
    assert api_client.delete(f"{docs_url(clinic)}{id_proof.id}/").status_code == 401


def doc_url(clinic, doc) -> str:
    return f"{docs_url(clinic)}{doc.id}/"


def test_a_put_with_one_field_changes_only_it(owner_client, clinic, id_proof):
    response = owner_client.put(doc_url(clinic, id_proof), {"display_order": 5}, format="json")

    assert response.status_code == 200
    id_proof.refresh_from_db()
    assert (id_proof.name, id_proof.description, id_proof.display_order) == (
        "Photo ID",
        "Aadhaar or passport",
        5,
    )


def test_a_put_with_one_bad_field_changes_nothing(owner_client, clinic, id_proof):
    response = owner_client.put(
        doc_url(clinic, id_proof), {"display_order": 5, "name": ""}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    id_proof.refresh_from_db()
    assert (id_proof.name, id_proof.display_order) == ("Photo ID", 1)


def test_the_item_echoed_back_is_accepted_but_not_moved(
    owner_client, clinic, other_clinic, id_proof
):
    body = owner_client.get(doc_url(clinic, id_proof)).json()

    echoed = owner_client.put(doc_url(clinic, id_proof), {**body, "name": "ID"}, format="json")
    moved = owner_client.put(
        doc_url(clinic, id_proof), {**body, "clinic": str(other_clinic.id)}, format="json"
    )

    assert echoed.status_code == 200, echoed.json()
    assert echoed.json()["name"] == "ID"
    assert moved.status_code == 400
    assert moved.json() == {"clinic": ["This field cannot be changed here."]}
    assert AdmissionDocument.objects.get(pk=id_proof.pk).clinic_id == clinic.id
