"""QuickCare rows as FHIR R4 (R4B, 4.3.0) resources: plain dicts, one function per resource.

Hand-written mappings, not a FHIR server library: the export is read-only and small (nine
resource types), and the `fhir.resources` models validate every one of them in the tests.
Ids are the rows' own ids; references are relative (`Patient/<id>`).
"""

import base64
import datetime as dt
import hashlib
import logging
from typing import Any

from appointments.models import Appointment
from audit.models import AuditEvent
from clinic.models import Clinic
from doctors.models import DoctorProfile
from documents.files import documents_storage
from documents.models import ConsentStatus, DocumentConsent, MedicalDocument
from documents.policies import is_consent_active

FHIR_VERSION = "4.3.0"
QC = "https://quickcare.in/fhir"

GENDER = {"male": "male", "female": "female", "other": "other"}
APPOINTMENT_STATUS = {
    "pending": "proposed",
    "confirmed": "booked",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}
DOCUMENT_TYPE_LOINC = {
    "prescription": ("57833-6", "Prescription for medication"),
    "lab_report": ("11502-2", "Laboratory report"),
    "imaging": ("18748-4", "Diagnostic imaging study"),
    "discharge_summary": ("18842-5", "Discharge summary"),
    "insurance": ("64290-0", "Health insurance card"),
    "other": ("34133-9", "Summary of episode note"),
}


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def ref(kind: str, pk: Any) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def patient_resource(person: Any) -> dict[str, Any]:
    """A patient profile (its id is the FHIR Patient id; an account's own profile has the
    account's id), or an account meaning its own profile. Phone and e-mail are the holder's."""
    user = getattr(person, "account", person)
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "active": bool(user.is_active),
        "gender": GENDER.get(person.gender, "unknown"),
    }
    if person.name:
        resource["name"] = [{"text": person.name}]
    if getattr(person, "date_of_birth", None):
        resource["birthDate"] = person.date_of_birth.isoformat()
    telecom = [{"system": "phone", "value": str(user.contact)}] if user.contact else []
    if user.email and getattr(person, "relation", "self") == "self":
        telecom.append({"system": "email", "value": user.email})
    if telecom:
        resource["telecom"] = telecom
    return resource


def practitioner_resource(doctor: DoctorProfile) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(doctor.pk),
        "name": [{"text": doctor.user.name or f"Doctor {doctor.pk}"}],
    }
    if doctor.registration_number:
        resource["identifier"] = [
            {"system": f"{QC}/medical-registration", "value": doctor.registration_number}
        ]
    if doctor.qualification:
        resource["qualification"] = [{"code": {"text": doctor.qualification}}]
    return resource


def practitioner_role_resource(doctor: DoctorProfile, clinic: Clinic) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": f"{doctor.pk}-{clinic.pk}",
        "practitioner": ref("Practitioner", doctor.pk),
        "organization": ref("Organization", clinic.pk),
    }
    if doctor.specialty:
        resource["specialty"] = [{"text": doctor.specialty}]
    return resource


def organization_resource(clinic: Clinic) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(clinic.pk),
        "active": bool(clinic.is_active),
        "name": clinic.name,
        "address": [
            {
                "line": [clinic.address] if clinic.address else [],
                "city": clinic.city,
                "state": clinic.state or None,
                "postalCode": clinic.pincode or None,
                "country": "IN",
            }
        ],
    }
    resource["address"][0] = {k: v for k, v in resource["address"][0].items() if v}
    if clinic.phone:
        resource["telecom"] = [{"system": "phone", "value": clinic.phone}]
    return resource


def appointment_resource(appointment: Appointment) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "status": APPOINTMENT_STATUS.get(appointment.status, "proposed"),
        "start": _instant(appointment.starts_at),
        "created": appointment.created_at.date().isoformat(),
        "participant": [
            {"actor": ref("Patient", appointment.patient_profile_id), "status": "accepted"},
            {"actor": ref("Practitioner", appointment.doctor_id), "status": "accepted"},
            {
                "actor": ref(
                    "PractitionerRole", f"{appointment.doctor_id}-{appointment.clinic_id}"
                ),
                "status": "accepted",
            },
        ],
    }


logger = logging.getLogger(__name__)


def sha1_base64(document: MedicalDocument) -> str | None:
    """The file's SHA-1, base64 (FHIR Attachment.hash), read from storage in chunks; None when
    the stored file cannot be read (the hash is optional in FHIR: the export never fails on
    one missing file)."""
    digest = hashlib.sha1()  # noqa: S324  # FHIR R4 defines Attachment.hash as SHA-1
    try:
        with documents_storage().open(str(document.file.name), "rb") as handle:
            for chunk in iter(lambda: handle.read(64 * 1024), b""):
                digest.update(chunk)
    except OSError as exc:  # FileNotFoundError from the filesystem and from S3 storage
        logger.warning("FHIR export: file of document %s unreadable: %s", document.pk, exc)
        return None
    return base64.b64encode(digest.digest()).decode("ascii")


def document_reference_resource(document: MedicalDocument, *, link: str | None) -> dict[str, Any]:
    code, display = DOCUMENT_TYPE_LOINC.get(document.document_type, DOCUMENT_TYPE_LOINC["other"])
    attachment: dict[str, Any] = {
        "contentType": document.content_type,
        "size": document.size_bytes,
        "title": document.title,
        "creation": _instant(document.created_at),
    }
    digest = sha1_base64(document)
    if digest is not None:
        attachment["hash"] = digest
    if link:
        attachment["url"] = link
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": str(document.pk),
        "status": "entered-in-error" if document.is_deleted else "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]},
        "subject": ref("Patient", document.patient_profile_id),
        "date": _instant(document.created_at),
        "content": [{"attachment": attachment}],
    }
    if document.description:
        resource["description"] = document.description
    if document.appointment_id:
        resource["context"] = {"related": [ref("Appointment", document.appointment_id)]}
    return resource


def _consent_state(consent: DocumentConsent) -> str:
    if consent.status == ConsentStatus.PENDING:
        return "proposed"
    if consent.status == ConsentStatus.REJECTED:
        return "rejected"
    return "active" if is_consent_active(consent) else "inactive"


def consent_resource(consent: DocumentConsent) -> dict[str, Any]:
    provision: dict[str, Any] = {
        "type": "permit",
        "actor": [
            {
                "role": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                            "code": "IRCP",
                        }
                    ]
                },
                "reference": ref("Practitioner", consent.doctor_id),
            }
        ],
        "data": [
            {"meaning": "instance", "reference": ref("DocumentReference", consent.document_id)}
        ],
    }
    if consent.purpose_code:
        provision["purpose"] = [
            {"system": "https://projecteka.in/purpose-of-use", "code": consent.purpose_code}
        ]
    if consent.expires_at or consent.actioned_at:
        period: dict[str, str] = {}
        if consent.actioned_at:
            period["start"] = _instant(consent.actioned_at)
        if consent.expires_at:
            period["end"] = _instant(consent.expires_at)
        provision["period"] = period
    return {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": _consent_state(consent),
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": ref("Patient", consent.document.patient_profile_id),
        "dateTime": _instant(consent.created_at),
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
            ]
        },
        "provision": provision,
    }


AUDIT_ACTION = {"upload": "C", "delete": "D", "requested": "C", "granted": "U", "revoked": "U"}


def audit_event_resource(event: AuditEvent) -> dict[str, Any]:
    agent: dict[str, Any] = {"requestor": True}
    if event.actor_id:
        agent["who"] = {"identifier": {"system": f"{QC}/user", "value": str(event.actor_id)}}
    else:
        agent["who"] = {"display": "anonymous"}
    if event.ip_address:
        agent["network"] = {"address": event.ip_address, "type": "2"}
    resource: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "id": f"{event.patient_id}-{event.seq}",
        "type": {"system": f"{QC}/audit-category", "code": event.category},
        "subtype": [{"system": f"{QC}/audit-action", "code": event.action}],
        "action": AUDIT_ACTION.get(event.action, "R"),
        "recorded": _instant(event.occurred_at),
        "outcome": "4" if event.action == "denied" else "0",
        "agent": [agent],
        "source": {"observer": {"display": "QuickCare"}},
        "entity": [{"what": ref("Patient", event.patient_id)}],
    }
    if event.document_id:
        resource["entity"].append({"what": ref("DocumentReference", event.document_id)})
    if event.emergency:
        resource["purposeOfEvent"] = [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                        "code": "ETREAT",
                    }
                ]
            }
        ]
    return resource


def capability_statement(*, base_url: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "QuickCare",
        "kind": "instance",
        "implementation": {"description": "QuickCare FHIR export", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {"description": "Bearer token (JWT) of a QuickCare account."},
                "resource": [
                    {
                        "type": "Patient",
                        "interaction": [],
                        "operation": [
                            {
                                "name": "everything",
                                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                            }
                        ],
                    },
                    {
                        "type": "DocumentReference",
                        "interaction": [{"code": "search-type"}],
                        "searchParam": [{"name": "patient", "type": "reference"}],
                    },
                ],
            }
        ],
    }


def searchset(entries: list[tuple[dict[str, Any], str]], *, base_url: str) -> dict[str, Any]:
    """A Bundle of type searchset; `entries` are (resource, "match" | "include")."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": _instant(dt.datetime.now(dt.UTC)),
        "total": sum(1 for _, mode in entries if mode == "match"),
        "entry": [
            {
                "fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": mode},
            }
            for resource, mode in entries
        ],
    }
