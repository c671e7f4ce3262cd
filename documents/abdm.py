"""ABDM-shaped consent: purpose codes, health-information types, and the consent artefact.

The codes are those of ABDM's consent manager (NDHM Health Data Management Policy, the
"purpose of request" value set): a consent request's `purpose` may be one of them, or free text
as the API always took (kept as `purpose_text`). The artefact follows the shape of an ABDM
consent artefact (consentId, purpose, patient, requester, hiTypes, permission with dateRange
and dataEraseAt, status) and is served signed as a compact JWS (EdDSA, the server's audit key,
`audit.signing`), so a holder can prove what was granted, and that it was later revoked.
"""

import datetime as dt
from typing import Any

from django.db import models

from audit import signing


class PurposeCode(models.TextChoices):
    CAREMGT = "CAREMGT", "Care management"
    BTG = "BTG", "Break the glass"
    PUBHLTH = "PUBHLTH", "Public health"
    HPAYMT = "HPAYMT", "Healthcare payment"
    DSRCH = "DSRCH", "Disease-specific healthcare research"
    PATRQT = "PATRQT", "Self requested"


class HIType(models.TextChoices):
    PRESCRIPTION = "Prescription"
    DIAGNOSTIC_REPORT = "DiagnosticReport"
    OP_CONSULTATION = "OPConsultation"
    DISCHARGE_SUMMARY = "DischargeSummary"
    IMMUNIZATION_RECORD = "ImmunizationRecord"
    HEALTH_DOCUMENT_RECORD = "HealthDocumentRecord"
    WELLNESS_RECORD = "WellnessRecord"


PURPOSE_SYSTEM = "https://projecteka.in/purpose-of-use"  # the ABDM purpose value set's URI
ARTEFACT_SCHEMA = "quickcare-consent-artefact/1"


def split_purpose(purpose: str) -> tuple[str, str]:
    """(purpose_code, purpose_text): a known code is a code, anything else is free text."""
    value = purpose.strip()
    if value.upper() in PurposeCode.values:
        return value.upper(), ""
    return "", purpose


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def artefact_body(consent: Any) -> dict[str, Any]:
    """The artefact of a granted (perhaps since revoked or expired) consent, as JSON."""
    code = consent.purpose_code
    return {
        "schema": ARTEFACT_SCHEMA,
        "consentId": str(consent.pk),
        "createdAt": _iso(consent.artefact_issued_at),
        "purpose": {
            "code": code or None,
            "text": PurposeCode(code).label if code else consent.purpose_text,
            "refUri": PURPOSE_SYSTEM,
        },
        "patient": {"id": str(consent.document.patient_profile_id)},  # the person consenting
        "requester": {"doctor": consent.doctor_id, "name": consent.doctor.user.name},
        "hiTypes": list(consent.hi_types),
        "careContexts": [{"documentId": str(consent.document_id)}],
        "permission": {
            "accessMode": "VIEW",
            "dateRange": {"from": _iso(consent.date_from), "to": _iso(consent.date_to)},
            "dataEraseAt": _iso(consent.data_erase_at),
            "expiresAt": _iso(consent.expires_at),
        },
        "status": str(consent.status).upper(),
        "revokedAt": _iso(consent.revoked_at),
    }


def signed_artefact(consent: Any) -> dict[str, Any]:
    """The artefact with its JWS and the key to check it with."""
    body = artefact_body(consent)
    return {
        "artefact": body,
        "jws": signing.jws(body),
        "key_id": signing.key_id(),
        "public_key": signing.public_key_b64(),
    }
