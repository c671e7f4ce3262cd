"""Cached private lists (core.cached_responses) forget document and consent writes.

A document's save or delete (upload, soft delete, erasure) bumps its holder's account: the
consent list shows its title and hides deleted ones. A consent's save or delete (request,
grant, reject, revoke, a doctor's removal) bumps the holder of its document, read from the
document the writer already holds (no query); when it is not loaded, every private list is
ended instead (`Namespace.RECORDS`). The access log is read from the audit chain, whose writer
bumps each profile's log itself (audit.services.audit_append).
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from core.response_cache import Namespace, account_key, bump
from documents.models import DocumentConsent, MedicalDocument


def document_changed(sender: Any, instance: MedicalDocument, **kwargs: Any) -> None:
    bump(account_key(instance.patient_id))


def consent_changed(sender: Any, instance: DocumentConsent, **kwargs: Any) -> None:
    if DocumentConsent.document.is_cached(instance):
        bump(account_key(instance.document.patient_id))
    else:
        bump(Namespace.RECORDS)


def connect() -> None:
    post_save.connect(document_changed, MedicalDocument, dispatch_uid="cache.document.save")
    post_delete.connect(document_changed, MedicalDocument, dispatch_uid="cache.document.delete")
    post_save.connect(consent_changed, DocumentConsent, dispatch_uid="cache.consent.save")
    post_delete.connect(consent_changed, DocumentConsent, dispatch_uid="cache.consent.delete")
