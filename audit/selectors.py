"""Reads of the chain, scoped to the patient it belongs to."""

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEvent
from core.roles import RoleId


def chain_for(*, user: Any) -> QuerySet[AuditEvent]:
    """The patient's own chain, newest first; nothing for anyone else."""
    if not user.is_authenticated or user.role_id != RoleId.PATIENT:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(patient=user).order_by("-seq")
