"""The OpenAPI schema describes what the API really answers, so generated clients work."""

import re
from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from core.schema import HHMM_PATTERN

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(openapi: dict[str, Any]):
    for path, item in openapi["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def walk(node: Any, where: str = ""):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}/{index}")


def validator(openapi: dict[str, Any], ref: str) -> Any:
    """A validator for one component; OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    components = _nullable_as_null(openapi["components"])
    cls = jsonschema.Draft202012Validator
    return cls({"$ref": ref, "components": components}, format_checker=cls.FORMAT_CHECKER)


def _nullable_as_null(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable_as_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_as_null(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def ref_of(response: dict[str, Any]) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]


# --- times --------------------------------------------------------------------------------------


def test_no_time_is_declared_as_rfc3339_time(openapi):
    assert [where for where, node in walk(openapi) if node.get("format") == "time"] == []


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("AppointmentOutput", "appointment_time"),
        ("AppointmentDetailOutput", "appointment_time"),
        ("DoctorAvailabilityOutput", "start_time"),
        ("TimeSlotOutput", "end_time"),
        ("AppointmentBookInputRequest", "appointment_time"),
        ("DoctorAvailabilityInputRequest", "start_time"),
    ],
)
def test_hh_mm_times_declare_their_pattern(openapi, component, field):
    schema = openapi["components"]["schemas"][component]["properties"][field]
    assert schema["type"] == "string"
    assert schema["pattern"] == HHMM_PATTERN
    assert re.match(schema["pattern"], "09:30")
    assert re.match(schema["pattern"], "23:59")
    for wrong in ("9:30", "24:00", "09:30:00", "09:30:00Z"):
        assert not re.match(schema["pattern"], wrong)


# --- blank strings ------------------------------------------------------------------------------


def test_a_user_with_no_email_gender_or_blood_group_matches_the_user_schema(openapi):
    user = {
        "id": "7c3e3f9e-0d7a-4c53-9d8f-6a4c7f1d2b10",
        "name": "Rahul Sharma",
        "contact": 9876543210,
        "email": "",
        "gender": "",
        "age": None,
        "blood_group": "",
        "roles": {"id": 3, "name": "is_patient"},
        "is_partial_onboarding": True,
        "is_complete_onboarding": False,
    }
    check = validator(openapi, "#/components/schemas/UserOutput")
    assert list(check.iter_errors(user)) == []
    assert list(check.iter_errors({**user, "email": "a@b.in", "blood_group": "O+"})) == []
    assert not check.is_valid({**user, "email": "not an email"})
    assert not check.is_valid({**user, "blood_group": "Z"})


# --- errors -------------------------------------------------------------------------------------


def test_every_400_allows_a_field_error_map_and_a_message_body(openapi):
    found = 0
    for path, method, operation in operations(openapi):
        if "400" not in operation["responses"]:
            continue
        found += 1
        check = validator(openapi, ref_of(operation["responses"]["400"]))
        where = f"{method} {path}"
        assert check.is_valid({"appointment_date": ["This field is required."]}), where
        assert check.is_valid({"address": {"pincode": ["Enter a 6-digit PIN code."]}}), where
        assert check.is_valid({"message": "Booking closed.", "code": "past_date"}), where
        assert not check.is_valid({"message": "no code"}), where
    assert found > 40


def test_writes_document_400_and_authenticated_operations_401(openapi):
    for path, method, operation in operations(openapi):
        codes = set(operation["responses"])
        if method in ("post", "put", "patch"):
            assert "400" in codes, f"{method} {path}"
        if operation.get("security") and {} not in operation["security"]:
            assert "401" in codes, f"{method} {path}"
        if "{" in path:
            assert "404" in codes, f"{method} {path}"


# --- headers ------------------------------------------------------------------------------------


def _is_list(openapi: dict[str, Any], response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("type") == "array"


def test_every_paginated_list_declares_link_and_x_total_count(openapi):
    lists = []
    for path, method, operation in operations(openapi):
        ok = operation["responses"].get("200", {})
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        if method == "get" and _is_list(openapi, ok) and "page" in names:
            lists.append(path)
            headers = ok.get("headers", {})
            assert headers["X-Total-Count"]["required"] is True, path
            assert headers["X-Total-Count"]["schema"]["type"] == "integer", path
            assert headers["Link"]["schema"]["type"] == "string", path
    assert {"/api/doctors/", "/api/appointments/my/", "/api/documents/"} <= set(lists)
    dashboard = openapi["paths"]["/api/appointments/clinic/{clinic_id}/dashboard/"]["get"]
    assert {"Link", "X-Total-Count"} <= set(dashboard["responses"]["200"]["headers"])


def test_throttled_operations_document_429_with_retry_after(openapi):
    throttled = {
        ("/api/users/login/", "post"),
        ("/api/users/check/", "get"),
        ("/api/users/onboarding/patient/step1/", "post"),
        ("/api/users/onboarding/patient/step2/", "post"),
        ("/api/users/onboarding/clinic/step1/", "post"),
    }
    for path, method in throttled:
        assert "429" in openapi["paths"][path][method]["responses"], path
    for path, method, operation in operations(openapi):
        too_many = operation["responses"].get("429")
        if too_many is not None:
            header = too_many["headers"]["Retry-After"]
            assert header["required"] is True, f"{method} {path}"
            assert header["schema"]["type"] == "integer"


# --- examples -----------------------------------------------------------------------------------


def _request_example(openapi, path, method, media_type="application/json"):
    body = openapi["paths"][path][method]["requestBody"]["content"][media_type]
    (example,) = body["examples"].values()
    return body["schema"]["$ref"], example["value"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/appointments/my/", "post"),
        ("/api/users/onboarding/patient/step1/", "post"),
        ("/api/users/onboarding/patient/step2/", "post"),
        ("/api/users/onboarding/clinic/step1/", "post"),
        ("/api/users/onboarding/patient/step3/", "put"),
    ],
)
def test_request_examples_match_their_request_schema(openapi, path, method):
    body = openapi["paths"][path][method]["requestBody"]["content"]["application/json"]
    assert body["examples"], path
    for example in body["examples"].values():
        errors = list(validator(openapi, body["schema"]["$ref"]).iter_errors(example["value"]))
        assert errors == [], (path, example["value"])


def test_the_upload_example_is_a_multipart_form_of_the_upload_schema(openapi):
    ref, value = _request_example(openapi, "/api/documents/", "post", "multipart/form-data")
    component = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(value) <= set(component["properties"])
    assert set(component["required"]) <= set(value)


def test_created_responses_declare_the_location_header(openapi):
    created = [
        (path, operation["responses"]["201"])
        for path, method, operation in operations(openapi)
        if "201" in operation["responses"]
    ]
    assert len(created) > 10
    for path, response in created:
        assert response["headers"]["Location"]["schema"]["type"] == "string", path
