"""Reads of the chain, scoped to the patient it belongs to."""

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEvent


def chain_for(*, user: Any) -> QuerySet[AuditEvent]:
    """The chain of the profile the caller acts for (their own, or a dependent's), newest
    first; nothing for a caller who does not act as a patient. The profile comes from the
    user object (`User.patient_chain_id`, users/acting.py): this app may not import users."""
    chain_id = user.patient_chain_id() if user.is_authenticated else None
    if chain_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(patient_id=chain_id).order_by("-seq")
