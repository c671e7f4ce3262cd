"""The schema tells the truth about updates: PUT is partial, and what may only be echoed."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

UPDATES = [
    "/api/users/me/",
    "/api/users/me/medical-profile/",
    "/api/users/address/{address_id}/",
    "/api/clinics/{clinic_id}/",
    "/api/clinics/{clinic_id}/slots/{slot_id}/",
    "/api/clinics/{clinic_id}/members/{member_id}/",
    "/api/clinics/{clinic_id}/admission-docs/{doc_id}/",
    "/api/doctors/me/",
    "/api/doctors/{doctor_id}/availability/{availability_id}/",
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def request_component(schema, path, method):
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize("path", UPDATES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_no_field_is_required_on_an_update(schema, path, method):
    assert not request_component(schema, path, method).get("required")


def test_the_fields_that_may_only_be_echoed_are_described(schema):
    description = request_component(schema, "/api/clinics/{clinic_id}/", "put")["description"]

    assert "`owner`" in description
    assert "400" in description
