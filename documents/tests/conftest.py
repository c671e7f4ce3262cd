"""Fixtures of the documents tests: a care relationship, documents, consents, upload helpers."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.tests.helpers import APPEND_QUERIES
from documents.tests.factories import (
    PDF_BYTES,
    AppointmentFactory,
    DocumentConsentFactory,
    MedicalDocumentFactory,
)

DOCUMENTS_URL = "/api/documents/"
# A doctor's access-log append also asks which patients the doctor reaches by break-glass
# (one query, so their events are marked `emergency`).
DOCTOR_APPEND_QUERIES = APPEND_QUERIES + 1


def detail_url(document_id: Any) -> str:
    return f"{DOCUMENTS_URL}{document_id}/"


def log_url(document_id: Any) -> str:
    return f"{DOCUMENTS_URL}{document_id}/access-log/"


def action_url(consent_id: Any) -> str:
    return f"{DOCUMENTS_URL}consent/{consent_id}/action/"


def relative(link: str) -> str:
    """The path and query of an absolute link, for the test client."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def appointment(patient, doctor_profile, clinic):
    """The patient's appointment with `doctor` at `clinic`: the care relationship."""
    return AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)


@pytest.fixture
def other_appointment(other_patient, other_doctor_profile, other_clinic):
    return AppointmentFactory(
        patient=other_patient, doctor=other_doctor_profile, clinic=other_clinic
    )


@pytest.fixture
def document(patient, appointment):
    return MedicalDocumentFactory(patient=patient, appointment=appointment, title="CBC report")


@pytest.fixture
def other_document(other_patient):
    return MedicalDocumentFactory(patient=other_patient, title="Priya's X-ray")


@pytest.fixture
def make_consent(doctor_profile) -> Callable[..., Any]:
    def make(document, *, doctor=None, status="granted", expires_at=None, **extra):
        return DocumentConsentFactory(
            document=document,
            doctor=doctor or doctor_profile,
            status=status,
            expires_at=expires_at,
            actioned_at=None if status == "pending" else timezone.now(),
            **extra,
        )

    return make


@pytest.fixture
def granted_consent(document, make_consent):
    return make_consent(document, expires_at=timezone.now() + dt.timedelta(days=7))


@pytest.fixture
def upload_file() -> Callable[..., SimpleUploadedFile]:
    def make(content: bytes = PDF_BYTES, name: str = "report.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")

    return make


@pytest.fixture
def upload(client_for, upload_file) -> Callable[..., Any]:
    """upload(user, content=..., name=..., **fields) -> response of POST /api/documents/."""

    def post(user, content: bytes = PDF_BYTES, name: str = "report.pdf", **fields):
        body = {"title": "Lab report", "document_type": "lab_report", **fields}
        body["file"] = upload_file(content, name)
        return client_for(user).post(DOCUMENTS_URL, body, format="multipart")

    return post
