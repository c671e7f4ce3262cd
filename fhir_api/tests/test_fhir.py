"""FHIR R4 (R4B) export: every resource validates with fhir.resources; scoped as documents are."""

import base64
import hashlib

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from audit.models import AuditEvent
from documents.tests.factories import PDF_BYTES, DocumentAccessLogFactory, MedicalDocumentFactory
from users.models import User

pytestmark = pytest.mark.django_db

EVERYTHING_URL = "/api/fhir/Patient/$everything"
SEARCH_URL = "/api/fhir/DocumentReference"


def _validate(bundle: dict) -> dict[str, list[dict]]:
    Bundle.model_validate(bundle)
    kinds: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        kinds.setdefault(resource["resourceType"], []).append(resource)
    return kinds


@pytest.fixture
def record_of(patient, appointment, make_consent):
    document = MedicalDocumentFactory(patient=patient, appointment=appointment, title="CBC")
    make_consent(document, purpose="CAREMGT", purpose_code="CAREMGT")
    DocumentAccessLogFactory(document=document, actor=patient, action="view")
    DocumentAccessLogFactory(document=document, actor=None, action="denied")
    return document


def test_metadata_is_a_valid_capability_statement(api_client):
    response = api_client.get("/api/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    CapabilityStatement.model_validate(response.json())


def test_everything_is_a_valid_searchset_of_every_resource_type(client_for, patient, record_of):
    response = client_for(patient).get(EVERYTHING_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = response.json()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "searchset")
    kinds = _validate(bundle)
    assert set(kinds) >= {
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Appointment",
        "DocumentReference",
        "Consent",
        "AuditEvent",
    }
    (reference,) = kinds["DocumentReference"]
    attachment = reference["content"][0]["attachment"]
    assert attachment["size"] == len(PDF_BYTES)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(PDF_BYTES).digest()).decode()
    assert f"/api/documents/{record_of.pk}/file/?token=" in attachment["url"]
    # the link handed out is on the chain
    assert AuditEvent.objects.filter(
        patient=patient, document_id=record_of.pk, action="file_link", detail="fhir"
    ).exists()


def test_the_demo_patients_bundle_validates(settings, client_for):
    from demo.seed_users import DEMO_PATIENT_CONTACT

    settings.DEBUG = True
    call_command("seed_demo")
    demo_patient = User.objects.get(contact=DEMO_PATIENT_CONTACT)
    response = client_for(demo_patient).get(EVERYTHING_URL)
    assert response.status_code == 200
    kinds = _validate(response.json())
    assert kinds["Patient"][0]["id"] == str(demo_patient.pk)


def test_a_doctor_with_consent_gets_only_the_consented_documents(
    client_for, doctor, patient, appointment, record_of
):
    MedicalDocumentFactory(patient=patient, appointment=appointment, title="not shared")
    response = client_for(doctor).get(SEARCH_URL, {"patient": str(patient.pk)})
    assert response.status_code == 200
    kinds = _validate(response.json())
    assert [d["id"] for d in kinds["DocumentReference"]] == [str(record_of.pk)]


def test_a_doctor_without_consent_gets_an_empty_bundle(client_for, doctor, other_patient):
    MedicalDocumentFactory(patient=other_patient)
    response = client_for(doctor).get(SEARCH_URL, {"patient": str(other_patient.pk)})
    assert response.json()["total"] == 0
    assert response.json()["entry"] == []


def test_a_bad_patient_parameter_is_400(client_for, doctor):
    assert client_for(doctor).get(SEARCH_URL, {"patient": "nope"}).status_code == 400


def test_roles(client_for, doctor, clinic_owner, api_client):
    assert client_for(doctor).get(EVERYTHING_URL).status_code == 403
    assert client_for(clinic_owner).get(SEARCH_URL, {"patient": str(doctor.pk)}).status_code == 403
    assert api_client.get(EVERYTHING_URL).status_code == 401


def test_a_document_whose_file_is_gone_still_exports_without_its_hash(
    client_for, patient, record_of
):
    from documents.files import documents_storage

    documents_storage().delete(record_of.file.name)
    response = client_for(patient).get(EVERYTHING_URL)
    assert response.status_code == 200
    (reference,) = _validate(response.json())["DocumentReference"]
    attachment = reference["content"][0]["attachment"]
    assert "hash" not in attachment
    assert attachment["size"] == len(PDF_BYTES)


@pytest.mark.parametrize("value", ["AAA", "fhir", "json", ""])
def test_a_format_query_parameter_never_turns_the_answer_into_a_404(api_client, value):
    response = api_client.get("/api/fhir/metadata", {"format": value})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
