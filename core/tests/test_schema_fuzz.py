"""A small schemathesis run inside the test suite: generated requests to a few operations (as
a patient, on the WSGI app and the test database) get answers the schema documents, in
status code, content type, headers and body. `make fuzz` runs the whole API."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quickcare.wsgi import application
from users.tests.factories import PatientFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Reads a patient makes, including the blank email, gender and blood group of a new account.
OPERATIONS = r"^/api/(users/me/(medical-profile/)?|doctors/|appointments/my/|clinics/public/)$"


@pytest.fixture
def _connection_kept():
    """As Django's test client does: a request must not close the test's database connection
    (its transaction holds the test data), which the WSGI handler's signals would do."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def patient_headers(doctor_profile) -> dict[str, str]:
    patient = PatientFactory(email="", gender="", blood_group="", age=None)
    return {"Authorization": f"Bearer {RefreshToken.for_user(patient).access_token}"}


@pytest.mark.usefixtures("_connection_kept")
def test_generated_requests_get_documented_answers(db, patient_headers):
    # schemathesis's own pytest loader (`from_fixture`) does not run on this pytest version,
    # so each operation's strategy is drawn from a plain hypothesis test.
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    selected = schema.include(path_regex=OPERATIONS, method="GET")
    tested = []
    for result in selected.get_all_operations():
        operation = result.ok()
        tested.append(operation.label)

        @settings(
            max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=patient_headers, checks=CHECKS)

        run()
    assert len(tested) >= 5, tested
