"""Demo documents for `make run`: a patient's lab report and a doctor's pending consent request.

Goes through the same services as the API (content check, random stored name, consent rules).
Idempotent: the document is found again by title, the request by (document, doctor).
"""

from django.core.files.base import ContentFile

from appointments.models import Appointment, AppointmentStatus
from demo.seed_users import DEMO_PATIENT_CONTACT
from documents.access import AccessContext
from documents.models import DocumentConsent, MedicalDocument
from documents.services import consent_request, document_upload
from users.models import User

DEMO_DOCUMENT_TITLE = "Complete blood count (demo)"


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing one line of text (offsets computed, no library needed)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def _demo_document(patient: User, appointment: Appointment | None) -> MedicalDocument:
    existing = MedicalDocument.objects.filter(
        patient=patient, title=DEMO_DOCUMENT_TITLE, is_deleted=False
    ).first()
    if existing is not None:
        return existing
    return document_upload(
        uploader=patient,
        ctx=AccessContext(actor=patient, ip_address=None, user_agent="seed_demo"),
        title=DEMO_DOCUMENT_TITLE,
        document_type="lab_report",
        description="Haemoglobin 14.2 g/dL; all values in range.",
        appointment_id=appointment.pk if appointment else None,
        file=ContentFile(tiny_pdf("QuickCare demo: complete blood count"), name="cbc.pdf"),
    )


def seed_documents() -> str:
    patient = User.objects.filter(contact=DEMO_PATIENT_CONTACT).first()
    if patient is None:
        return "skipped (no demo patient)"
    appointment = (
        Appointment.objects.select_related("doctor__user")
        .filter(patient=patient)
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("id")
        .first()
    )
    document = _demo_document(patient, appointment)
    if appointment is None:
        return f"document {document.pk} (no demo appointment, so no consent request)"
    doctor = appointment.doctor
    if not DocumentConsent.objects.filter(document=document, doctor=doctor).exists():
        consent_request(
            user=doctor.user,
            document_id=document.pk,
            purpose="Review of recent blood work before the follow-up visit",
        )
    return f"document {document.pk}, consent request pending from {doctor.user.name}"
