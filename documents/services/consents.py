"""Consent: a doctor's request, the patient's grant, rejection and revocation (the state
machine of DESIGN.md), each on the patient's audit chain."""

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditCategory
from audit.services import record as audit_record
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, NotFound, NotPermitted
from documents.abdm import split_purpose
from documents.models import ConsentStatus, DocumentConsent, MedicalDocument
from documents.policies import (
    active_consent_q,
    can_request_consent,
)
from documents.selectors import (
    CONSENT_NOT_FOUND,
    DOCUMENT_NOT_FOUND,
    consent_held_by,
    doctor_profile_for,
)
from documents.services.records import field_error
from documents.signals import consent_decided, consent_requested

ACTION_TO_STATUS: dict[str, str] = {
    "grant": ConsentStatus.GRANTED,
    "granted": ConsentStatus.GRANTED,
    "reject": ConsentStatus.REJECTED,
    "rejected": ConsentStatus.REJECTED,
    "revoke": ConsentStatus.REVOKED,
    "revoked": ConsentStatus.REVOKED,
}
STATUS_TO_ACTION: dict[str, str] = {
    ConsentStatus.GRANTED: "grant",
    ConsentStatus.REJECTED: "reject",
    ConsentStatus.REVOKED: "revoke",
}
# The consent state machine (DESIGN.md): pending -> granted | rejected; granted -> revoked.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ConsentStatus.PENDING: frozenset({ConsentStatus.GRANTED, ConsentStatus.REJECTED}),
    ConsentStatus.GRANTED: frozenset({ConsentStatus.REVOKED}),
    ConsentStatus.REJECTED: frozenset(),
    ConsentStatus.REVOKED: frozenset(),
}


def allowed_actions(status: str) -> list[str]:
    return sorted(STATUS_TO_ACTION[target] for target in ALLOWED_TRANSITIONS.get(status, ()))


def _require_future(expires_at: dt.datetime | None, now: dt.datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise field_error("expires_at", "Must be in the future.")


def _consent_logged(consent: DocumentConsent, *, actor: Any, action: str) -> None:
    """A consent event on the patient's chain, in the transaction that made it."""
    audit_record(
        patient_id=consent.document.patient_profile_id,
        category=AuditCategory.CONSENT,
        action=action,
        actor_id=actor.pk,
        document_id=consent.document_id,
        data={
            "consent": consent.pk,
            "doctor": consent.doctor_id,
            "status": consent.status,
            "expires_at": consent.expires_at,
        },
    )


def consent_request(
    *,
    user: Any,
    document_id: uuid.UUID,
    purpose: str,
    expires_at: dt.datetime | None = None,
    hi_types: list[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    data_erase_at: dt.datetime | None = None,
) -> DocumentConsent:
    """Any doctor asks for any live document by id; unknown or deleted ids answer 404.

    The doctor learns nothing of the document here (the answer is the consent record): the
    patient decides, and only a grant opens it."""
    doctor = doctor_profile_for(user=user)
    if doctor is None:
        raise NotPermitted("Only doctors with a profile can request consent.")
    document = MedicalDocument.objects.filter(pk=document_id, is_deleted=False).first()
    if document is None or not can_request_consent(doctor=doctor, document=document):
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)
    now = timezone.now()
    _require_future(expires_at, now)
    if DocumentConsent.objects.filter(
        active_consent_q(now=now), document=document, doctor=doctor
    ).exists():
        raise Conflict(
            "You already hold an active consent for this document.",
            code=ErrorCode.CONSENT_ALREADY_GRANTED,
        )
    try:
        with transaction.atomic():
            purpose_code, purpose_text = split_purpose(purpose)
            consent = DocumentConsent.objects.create(
                document=document,
                doctor=doctor,
                purpose=purpose,
                expires_at=expires_at,
                purpose_code=purpose_code,
                purpose_text=purpose_text,
                hi_types=hi_types or [],
                date_from=date_from,
                date_to=date_to,
                data_erase_at=data_erase_at,
            )
            _consent_logged(consent, actor=user, action="requested")
            consent_requested.send(sender=DocumentConsent, consent=consent)
            return consent
    except IntegrityError as exc:
        raise Conflict(
            "A consent request for this document is already pending.",
            code=ErrorCode.CONSENT_REQUEST_PENDING,
        ) from exc


def _apply_grant(
    consent: DocumentConsent, expires_at: dt.datetime | None, now: dt.datetime
) -> None:
    if consent.expires_at is not None and consent.expires_at <= now:
        raise InvalidState(
            "This request expired before it was granted.",
            code=ErrorCode.CONSENT_REQUEST_EXPIRED,
            allowed_actions=["reject"],
        )
    if expires_at is None:
        return
    _require_future(expires_at, now)
    if consent.expires_at is not None and expires_at > consent.expires_at:
        raise field_error("expires_at", "A grant may shorten the requested period, not extend it.")
    consent.expires_at = expires_at


def _narrow_hi_types(consent: DocumentConsent, hi_types: list[str] | None) -> None:
    if hi_types is None:
        return
    if consent.hi_types and not set(hi_types) <= set(consent.hi_types):
        raise field_error("hi_types", "A grant may narrow the requested hi_types, not add to them.")
    consent.hi_types = list(hi_types)


def consent_action(
    *,
    user: Any,
    consent_id: uuid.UUID,
    action: str,
    expires_at: dt.datetime | None = None,
    hi_types: list[str] | None = None,
) -> DocumentConsent:
    """The owner patient grants, rejects or revokes, per ALLOWED_TRANSITIONS.

    A grant may narrow the request (a shorter expiry, fewer `hi_types`) and issues the consent
    artefact (`artefact_issued_at`); a revocation is stamped in `revoked_at`, which the
    artefact then shows."""
    target = ACTION_TO_STATUS[action]
    with transaction.atomic():
        consent = (
            consent_held_by(user=user)  # any profile the account holds
            .select_for_update(of=("self",))
            .filter(pk=consent_id)
            .first()
        )
        if consent is None:
            raise NotFound(CONSENT_NOT_FOUND, code=ErrorCode.CONSENT_NOT_FOUND)
        if target not in ALLOWED_TRANSITIONS.get(consent.status, frozenset()):
            raise InvalidState(
                f"A {consent.status} consent cannot be {target}.",
                code=ErrorCode.INVALID_TRANSITION,
                allowed_actions=allowed_actions(consent.status),
            )
        now = timezone.now()
        if target == ConsentStatus.GRANTED:
            _apply_grant(consent, expires_at, now)
            _narrow_hi_types(consent, hi_types)
            consent.artefact_issued_at = now
        elif expires_at is not None:
            raise field_error("expires_at", "Only a grant may set expires_at.")
        elif hi_types is not None:
            raise field_error("hi_types", "Only a grant may narrow hi_types.")
        if target == ConsentStatus.REVOKED:
            consent.revoked_at = now
        from_status, consent.status = consent.status, target
        consent.actioned_at = now
        consent.save(
            update_fields=[
                "status",
                "expires_at",
                "actioned_at",
                "hi_types",
                "artefact_issued_at",
                "revoked_at",
                "updated_at",
            ]
        )
        _consent_logged(consent, actor=user, action=str(target))
        consent_decided.send(sender=DocumentConsent, consent=consent, from_status=from_status)
    return consent
