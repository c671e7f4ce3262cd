"""The bundles: a patient's everything, and the DocumentReferences a caller may see.

Every file link handed out here is logged on the patient's chain (access `file_link`, detail
`fhir`), as the documents list does; the reads are scoped by the documents selectors (a
doctor sees only documents with an active consent, or an open emergency access).
"""

from typing import Any

from django.http import HttpRequest

from appointments.models import Appointment
from audit.models import AuditEvent
from documents.access import access_context
from documents.audit import access_log_record
from documents.links import file_link
from documents.models import AccessAction, DocumentConsent, MedicalDocument
from documents.selectors import document_list_for, documents_held_by
from fhir_api import resources as r
from users.acting import acting_profile, acts_as_patient, self_profile
from users.models import PatientProfile


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/api/fhir/")


def _document_entries(
    request: HttpRequest, documents: list[MedicalDocument]
) -> list[dict[str, Any]]:
    user: Any = getattr(request, "user", None)
    access_log_record(
        ctx=access_context(request),
        documents=documents,
        actions=[AccessAction.FILE_LINK],
        detail="fhir",
    )
    return [
        r.document_reference_resource(
            document, link=file_link(request=request, document_id=document.pk, user_id=user.pk)
        )
        for document in documents
    ]


def patient_everything(
    *, request: HttpRequest, patient: Any, profile: PatientProfile | None = None
) -> dict[str, Any]:
    """Everything about one person: `profile` (one the account `patient` holds), else the
    profile the request acts for (the account's own unless `?patient_profile=`)."""
    person = profile or acting_profile(patient) or self_profile(patient)
    assert person is not None
    appointments = list(
        Appointment.objects.select_related("doctor__user", "clinic")
        .filter(patient=patient, patient_profile=person)
        .order_by("appointment_date", "appointment_time", "id")
    )
    consents = list(
        DocumentConsent.objects.select_related("doctor__user", "document")
        .filter(document__patient=patient, document__patient_profile=person)
        .order_by("created_at", "id")
    )
    documents = list(
        documents_held_by(user=patient).filter(patient_profile=person).order_by("created_at", "id")
    )
    events = list(AuditEvent.objects.filter(patient_id=person.pk).order_by("seq"))

    doctors = {a.doctor_id: a.doctor for a in appointments}
    doctors.update({c.doctor_id: c.doctor for c in consents})
    clinics = {a.clinic_id: a.clinic for a in appointments}
    roles = {(a.doctor_id, a.clinic_id): (a.doctor, a.clinic) for a in appointments}

    entries: list[tuple[dict[str, Any], str]] = [(r.patient_resource(person), "match")]
    entries += [(r.practitioner_resource(d), "include") for d in doctors.values()]
    entries += [(r.practitioner_role_resource(d, c), "include") for d, c in roles.values()]
    entries += [(r.organization_resource(c), "include") for c in clinics.values()]
    entries += [(r.appointment_resource(a), "match") for a in appointments]
    entries += [(res, "match") for res in _document_entries(request, documents)]
    entries += [(r.consent_resource(c), "match") for c in consents]
    entries += [(r.audit_event_resource(e), "match") for e in events]
    return r.searchset(entries, base_url=base_url(request))


def document_references(*, request: HttpRequest, user: Any, patient_id: Any) -> dict[str, Any]:
    """`patient` is the FHIR Patient id: a patient profile's. A patient reaches any profile
    they hold; a doctor the documents within their reach."""
    scope = documents_held_by(user=user) if acts_as_patient(user) else document_list_for(user=user)
    documents = list(scope.filter(patient_profile_id=patient_id).order_by("created_at", "id"))
    entries = [(res, "match") for res in _document_entries(request, documents)]
    return r.searchset(entries, base_url=base_url(request))
