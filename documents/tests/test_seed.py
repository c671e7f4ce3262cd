"""Demo data: a patient's PDF and a pending consent request, idempotent."""

import pytest

from demo.seed_documents import DEMO_DOCUMENT_TITLE, seed_documents, tiny_pdf
from demo.seed_users import DEMO_PATIENT_CONTACT, seed_users
from documents.files import detect_kind, documents_storage
from documents.models import DocumentConsent, MedicalDocument
from documents.tests.factories import AppointmentFactory
from users.models import User

pytestmark = pytest.mark.django_db


def test_tiny_pdf_is_a_pdf():
    content = tiny_pdf("hello")
    assert detect_kind(content).content_type == "application/pdf"
    assert content.rstrip().endswith(b"%%EOF")
    assert b"(hello) Tj" in content


def test_seed_without_patient_is_a_no_op():
    assert seed_documents() == "skipped (no demo patient)"
    assert not MedicalDocument.objects.exists()


def test_seed_creates_document_and_pending_request_once(doctor_profile, clinic):
    seed_users()
    patient = User.objects.get(contact=DEMO_PATIENT_CONTACT)
    AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    summary = seed_documents()
    assert "consent request pending from Dr. Suresh Yadav" in summary
    assert seed_documents() == summary
    document = MedicalDocument.objects.get(patient=patient)
    assert document.title == DEMO_DOCUMENT_TITLE
    assert document.content_type == "application/pdf"
    with documents_storage().open(document.file.name) as handle:
        assert handle.read().startswith(b"%PDF-")
    consent = DocumentConsent.objects.get()
    assert (consent.document, consent.doctor, consent.status) == (
        document,
        doctor_profile,
        "pending",
    )


def test_seed_without_appointment_creates_only_the_document():
    seed_users()
    assert "no demo appointment" in seed_documents()
    assert MedicalDocument.objects.count() == 1
    assert not DocumentConsent.objects.exists()
