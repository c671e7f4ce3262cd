"""The OpenAPI schema generates and validates without a single warning."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert "/api/users/login/" in schema["paths"]


def test_users_endpoints_are_documented_with_bearer_auth(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/users/login/",
        "/api/users/token/refresh/",
        "/api/users/onboarding/patient/step1/",
        "/api/users/onboarding/patient/step2/",
        "/api/users/onboarding/patient/step3/",
        "/api/users/onboarding/clinic/step1/",
        "/api/users/onboarding/clinic/step2/",
        "/api/users/me/",
        "/api/users/me/medical-profile/",
        "/api/users/check/",
        "/api/users/password/change/",
        "/api/users/address/",
        "/api/users/address/{address_id}/",
    ):
        assert path in paths, path
    assert set(paths["/api/users/onboarding/patient/step3/"]) >= {"put", "patch"}
    me = paths["/api/users/me/"]["get"]
    assert {"jwtAuth": []} in me["security"]
    assert "401" in me["responses"]
    login = paths["/api/users/login/"]["post"]
    assert {"401", "429"} <= set(login["responses"])
    contact = schema["components"]["schemas"]["LoginInputRequest"]["properties"]["contact"]
    assert contact["type"] == "integer"
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


def test_docs_pages_are_served(client):
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


def test_users_part_of_the_schema_has_no_warnings():
    """Narrower than the whole-schema test: pins a warning to the users app when one appears."""
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    patterns = [path("api/users/", include("users.urls"))]
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    validate_schema(schema)
    assert len(schema["paths"]) == 14  # + logout (issue 9 item 9)
