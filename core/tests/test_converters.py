"""Integer ids in API paths: anything that is not a 64-bit id answers the JSON 404, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from rest_framework.test import APIClient

from core.converters import MAX_DATABASE_ID, DatabaseIdConverter

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["99999999999999999999", str(MAX_DATABASE_ID + 1), "0" * 20 + "1"]
NOT_IDS = ["-1", "1.5", "abc", "\uff11\uff12"]  # the last: full-width digits


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry.pattern.converters


@pytest.mark.parametrize(
    "app", ["api/users/", "api/clinics/", "api/doctors/", "api/appointments/", "api/documents/"]
)
def test_integer_ids_of_every_api_path_use_the_id_converter(app):
    routes = [(route, conv) for route, conv in _patterns(get_resolver()) if route.startswith(app)]
    assert routes
    for route, converters in routes:
        assert not any(isinstance(c, IntConverter) for c in converters.values()), route


def test_the_converter_takes_ids_up_to_the_64_bit_maximum():
    converter = DatabaseIdConverter()
    assert converter.to_python(str(MAX_DATABASE_ID)) == MAX_DATABASE_ID
    assert converter.to_python("0") == 0
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_DATABASE_ID + 1))


def _paths(doctor_id: int, value: str) -> list[tuple[str, str]]:
    return [
        ("get", f"/api/doctors/{value}/"),
        ("get", f"/api/doctors/{value}/availability/"),
        ("get", f"/api/doctors/{value}/availability/slots/?date=2026-12-07"),
        ("post", f"/api/doctors/{value}/availability/"),
        ("put", f"/api/doctors/{doctor_id}/availability/{value}/"),
        ("patch", f"/api/doctors/{doctor_id}/availability/{value}/"),
        ("delete", f"/api/doctors/{doctor_id}/availability/{value}/"),
        ("delete", f"/api/doctors/me/leaves/{value}/"),
        ("get", f"/api/appointments/my/{value}/"),
        ("patch", f"/api/appointments/my/{value}/"),
        ("get", f"/api/appointments/doctor/{value}/"),
        ("patch", f"/api/appointments/doctor/{value}/"),
    ]


def _statuses(client_for, users, doctor_id: int, value: str) -> list[tuple[str, int, str]]:
    answers = []
    for user in users:
        client = APIClient(raise_request_exception=False)
        if user is not None:
            client = client_for(user)
            client.raise_request_exception = False
        for method, path in _paths(doctor_id, value):
            response = getattr(client, method)(path, {}, format="json")
            answers.append((path, response.status_code, response["Content-Type"]))
    return answers


@pytest.mark.parametrize("value", OUT_OF_RANGE + NOT_IDS)
def test_ids_beyond_64_bits_or_not_ids_answer_json_404(
    client_for, patient, doctor, doctor_profile, value
):
    answers = _statuses(client_for, [None, patient, doctor], doctor_profile.pk, value)
    assert [(path, status) for path, status, _ in answers if status != 404] == []
    assert {content_type for _, _, content_type in answers} == {"application/json"}


def test_the_largest_64_bit_id_is_an_ordinary_unknown_id(client_for, doctor, doctor_profile):
    value = str(MAX_DATABASE_ID)
    answers = _statuses(client_for, [doctor], doctor_profile.pk, value)
    assert {status for _, status, _ in answers} <= {403, 404}  # 403: a patient-only path
    assert APIClient().get(f"/api/doctors/{value}/").json()["code"] == "doctor_not_found"


def test_the_schema_documents_id_paths_as_integers():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, name in [
        ("/api/doctors/{doctor_id}/", "doctor_id"),
        ("/api/doctors/{doctor_id}/availability/{availability_id}/", "availability_id"),
        ("/api/appointments/my/{appointment_id}/", "appointment_id"),
    ]:
        operation = next(iter(schema["paths"][path].values()))
        [parameter] = [p for p in operation["parameters"] if p["name"] == name]
        assert parameter["schema"]["type"] == "integer"
