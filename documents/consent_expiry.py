"""Expiry is a moment, not a write: a grant past `expires_at` simply stops opening the document.
`record_consent_expiries` (run by `manage.py consent_expiry_record`, from cron) puts each such
lapse on the patient's audit chain once, as a consent event "expired"."""

import datetime as dt

from django.utils import timezone

from audit.models import AuditCategory, AuditEvent
from audit.services import Event, audit_append
from documents.models import ConsentStatus, DocumentConsent


def record_consent_expiries(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    recorded = {
        str(value)
        for value in AuditEvent.objects.filter(
            category=AuditCategory.CONSENT, action="expired"
        ).values_list("data__consent", flat=True)
    }
    lapsed = [
        consent
        for consent in DocumentConsent.objects.select_related("document").filter(
            status=ConsentStatus.GRANTED, expires_at__lte=now
        )
        if str(consent.pk) not in recorded
    ]
    audit_append(
        Event(
            patient_id=consent.document.patient_profile_id,
            category=AuditCategory.CONSENT,
            action="expired",
            document_id=consent.document_id,
            data={
                "consent": consent.pk,
                "doctor": consent.doctor_id,
                "expires_at": consent.expires_at,
            },
        )
        for consent in lapsed
    )
    return len(lapsed)
