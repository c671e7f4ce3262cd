"""Consent and document access: requests, decisions, expiry notices, views and
break-glass openings."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic.selectors import doctor_active_membership
from core.roles import RoleId
from documents.models import ConsentStatus, DocumentConsent, EmergencyAccess, MedicalDocument
from notifications import schedule
from notifications.kinds import (
    DOCUMENT_TYPE_WORDS,
)
from notifications.models import Kind
from notifications.render import Words
from notifications.services import Event, notifications_cancel, notify
from users.models import User

# --- consent and document access ---------------------------------------------------------------


def _doctor_clinic(user_id: Any) -> tuple[str, str]:
    """The zone and region of the doctor's active clinic (the settings' zone without one)."""
    membership = doctor_active_membership(user_id=user_id)
    if membership is None:
        return settings.TIME_ZONE, ""
    return membership.clinic.timezone, membership.clinic.state


def _consent_event(consent: DocumentConsent, *, recipient: User, kind: str, key: str) -> Event:
    doctor = consent.doctor.user
    zone, region = _doctor_clinic(doctor.pk)
    return Event(
        recipient=recipient,
        kind=kind,
        key=f"consent:{consent.pk}:{key}",
        subject=f"consent:{consent.pk}",
        zone=zone,
        region=region,
        values={
            "doctor": doctor.name,
            "patient": consent.document.patient_profile.name,
            "document": consent.document.title,
        },
        data={"consent_id": str(consent.pk), "document_id": str(consent.document_id)},
    )


def on_consent_requested(*, consent: DocumentConsent, **_: Any) -> None:
    notify(
        _consent_event(
            consent,
            recipient=consent.document.patient,
            kind=Kind.CONSENT_REQUESTED,
            key="requested",
        )
    )


DECISION_KINDS: dict[str, str] = {
    ConsentStatus.GRANTED: Kind.CONSENT_GRANTED,
    ConsentStatus.REJECTED: Kind.CONSENT_REJECTED,
    ConsentStatus.REVOKED: Kind.CONSENT_REVOKED,
}


def _expiry_notice(consent: DocumentConsent) -> None:
    if consent.expires_at is None:
        return
    event = _consent_event(
        consent, recipient=consent.doctor.user, kind=Kind.CONSENT_EXPIRING, key="expiring"
    )
    now = timezone.now()
    due = max(
        now, consent.expires_at - dt.timedelta(hours=settings.NOTIFICATION_CONSENT_NOTICE_HOURS)
    )
    event.due_at, event.skip_reason = schedule.after_quiet_hours(
        due, zone=event.zone, deadline=consent.expires_at
    )
    event.when = event.valid_until = consent.expires_at
    notify(event)


def on_consent_decided(*, consent: DocumentConsent, **_: Any) -> None:
    kind = DECISION_KINDS.get(consent.status)
    if kind is None:
        return
    notify(_consent_event(consent, recipient=consent.doctor.user, kind=kind, key=consent.status))
    if consent.status == ConsentStatus.GRANTED:
        _expiry_notice(consent)
    else:
        notifications_cancel(
            subject=f"consent:{consent.pk}",
            kinds=[Kind.CONSENT_EXPIRING],
            reason=f"consent {consent.status}",
        )


def on_document_viewed(*, document: MedicalDocument, actor: Any, **_: Any) -> None:
    """Tell the patient a doctor opened their document (one notice per doctor and hour)."""
    if getattr(actor, "role_id", None) != RoleId.DOCTOR or actor.pk == document.patient_id:
        return
    now = timezone.now()
    zone, region = _doctor_clinic(actor.pk)
    notify(
        Event(
            recipient=document.patient,
            kind=Kind.DOCUMENT_VIEWED,
            key=f"document:{document.pk}:viewed:{actor.pk}:{now:%Y%m%d%H}",
            subject=f"document:{document.pk}",
            zone=zone,
            region=region,
            when=now,
            values={
                "doctor": actor.name,
                "document": document.title,
                "document_type": Words(DOCUMENT_TYPE_WORDS.get(document.document_type, "document")),
            },
            data={"document_id": str(document.pk)},
        )
    )


def on_emergency_access_opened(*, access: EmergencyAccess, **_: Any) -> None:
    """Tell the patient at once, by SMS whatever their preferences (like the staff SMS): a
    doctor opened their records without consent. Sent after the opening's commit, so the
    outbox rows get their own transaction."""
    doctor = access.doctor.user
    zone, region = _doctor_clinic(doctor.pk)
    with transaction.atomic():
        notify(
            Event(
                recipient=access.patient,
                kind=Kind.EMERGENCY_ACCESS,
                key=f"emergency-access:{access.pk}",
                subject=f"emergency-access:{access.pk}",
                zone=zone,
                region=region,
                when=access.opened_at,
                values={"doctor": doctor.name, "reason": access.reason},
                data={"emergency_access_id": str(access.pk)},
            )
        )
