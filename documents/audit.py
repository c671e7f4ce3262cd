"""The access log: the one place that writes it, as events on each patient's audit chain.

Append-only; refusals are logged too. Each row goes to the chain of the document's patient
(`audit.services.audit_append`, under that chain's lock) and reads back through
`documents.models.DocumentAccessLog`."""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.utils import timezone

from audit.models import AuditCategory
from audit.services import Event, audit_append
from core.exceptions import NotFound
from core.roles import RoleId
from documents.access import AccessContext
from documents.models import AccessAction, MedicalDocument
from documents.policies import emergency_patient_ids


def _emergency_patients(actor: Any) -> set[Any]:
    """Patient profiles this doctor reaches by break-glass right now: their events are
    `emergency`."""
    if actor is None or getattr(actor, "role_id", None) != RoleId.DOCTOR:
        return set()
    return set(
        emergency_patient_ids(user=actor, now=timezone.now()).values_list(
            "patient_profile_id", flat=True
        )
    )


class Accessed(Protocol):
    """A document as the log records it (a `MedicalDocument`, or a listed row)."""

    @property
    def pk(self) -> Any: ...

    @property
    def patient_profile_id(self) -> Any: ...


def access_log_record(
    *,
    ctx: AccessContext,
    documents: Iterable[Accessed],
    actions: Sequence[str],
    detail: str = "",
    emergency: set[Any] | None = None,
) -> None:
    """One append-only event per document and action, each on its patient's chain.
    `emergency`: the patient profiles the actor reaches by break-glass now, where the caller
    read them already (`documents.rows`); else they are read here."""
    actor_id = ctx.actor.pk if ctx.actor is not None else None
    documents = list(documents)
    if emergency is None:
        emergency = _emergency_patients(ctx.actor) if documents else set()
    audit_append(
        Event(
            patient_id=document.patient_profile_id,  # the chain of whose record it is
            category=AuditCategory.ACCESS,
            action=str(action),
            actor_id=actor_id,
            document_id=document.pk,
            detail=detail[:255],
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            emergency=document.patient_profile_id in emergency,
        )
        for document in documents
        for action in actions
    )


def access_denied_record(*, ctx: AccessContext, document_id: uuid.UUID, detail: str) -> None:
    """Log a refused attempt on an existing document (outside any rolled-back transaction)."""
    document = MedicalDocument.objects.filter(pk=document_id).first()
    if document is not None:
        access_log_record(
            ctx=ctx, documents=[document], actions=[AccessAction.DENIED], detail=detail
        )


@contextmanager
def refusal_logged(
    *,
    ctx: AccessContext,
    document_id: uuid.UUID,
    detail: str,
    refusals: tuple[type[Exception], ...] = (NotFound,),
) -> Iterator[None]:
    """A refusal raised in the block is logged as a denied attempt, then raised on.

    The row must outlive the failed request: requests are not atomic (ATOMIC_REQUESTS is
    off), and this is never entered inside a `transaction.atomic` the refusal would undo."""
    try:
        yield
    except refusals:
        access_denied_record(ctx=ctx, document_id=document_id, detail=detail)
        raise
