"""Factories for appointments (built directly, not through booking), documents and consents."""

import datetime as dt
import uuid

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from appointments.models import Appointment
from documents.files import documents_storage
from documents.models import DocumentAccessLog, DocumentConsent, MedicalDocument

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
HTML_BYTES = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


class AppointmentFactory(DjangoModelFactory):
    """Needs patient, doctor (a DoctorProfile) and clinic."""

    class Meta:
        model = Appointment

    appointment_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=3))
    appointment_time = factory.Sequence(lambda n: dt.time(6 + (n // 12) % 16, (n % 12) * 5))
    appointment_type = "first_visit"
    mode = "in_clinic"
    status = "confirmed"
    fee_charged = 500


def _stored_pdf() -> str:
    return documents_storage().save(
        f"documents/test/{uuid.uuid4().hex}.pdf", ContentFile(PDF_BYTES)
    )


class MedicalDocumentFactory(DjangoModelFactory):
    """Needs patient; the file really exists in the documents storage."""

    class Meta:
        model = MedicalDocument

    uploaded_by = factory.SelfAttribute("patient")
    uploaded_by_role = "patient"
    title = factory.Sequence(lambda n: f"Blood test {n}")
    document_type = "lab_report"
    description = "CBC"
    file = factory.LazyFunction(_stored_pdf)
    content_type = "application/pdf"
    size_bytes = len(PDF_BYTES)


class DocumentConsentFactory(DjangoModelFactory):
    """Needs document and doctor (a DoctorProfile)."""

    class Meta:
        model = DocumentConsent

    purpose = "Reviewing prior lab results"
    status = "pending"


class DocumentAccessLogFactory(DjangoModelFactory):
    """An access-log row, appended to the document's patient's audit chain (the only way in)."""

    class Meta:
        model = DocumentAccessLog

    action = "view"
    ip_address = "10.0.0.1"
    user_agent = "pytest"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from audit.services import Event, audit_append

        document = kwargs["document"]
        actor = kwargs.get("actor")
        (row,) = audit_append(
            [
                Event(
                    patient_id=document.patient_id,
                    category="access",
                    action=kwargs.get("action", "view"),
                    actor_id=actor.pk if actor is not None else None,
                    document_id=document.pk,
                    detail=kwargs.get("detail", ""),
                    ip_address=kwargs.get("ip_address"),
                    user_agent=kwargs.get("user_agent", ""),
                )
            ]
        )
        return model_class.objects.get(pk=row.pk)
