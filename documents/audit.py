"""The access log: the one place that writes it. Append-only; refusals are logged too."""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from core.exceptions import NotFound
from documents.access import AccessContext
from documents.models import AccessAction, DocumentAccessLog, MedicalDocument


def access_log_record(
    *,
    ctx: AccessContext,
    documents: Iterable[MedicalDocument],
    actions: Sequence[str],
    detail: str = "",
) -> None:
    """One append-only row per document and action, in a single INSERT."""
    rows = [
        DocumentAccessLog(
            document=document,
            actor=ctx.actor,
            action=action,
            detail=detail[:255],
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
        )
        for document in documents
        for action in actions
    ]
    if rows:
        DocumentAccessLog.objects.bulk_create(rows)


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
