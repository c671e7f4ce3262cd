"""Writes and rules of the documents app (one module per concern, re-exported here): the
documents themselves (`records.py`) and consent (`consents.py`)."""

from documents.services.consents import (
    ACTION_TO_STATUS,
    ALLOWED_TRANSITIONS,
    STATUS_TO_ACTION,
    allowed_actions,
    consent_action,
    consent_request,
)
from documents.services.records import (
    LINK_NOT_YOURS,
    access_log_open,
    document_delete,
    document_download,
    document_download_authorize,
    document_upload,
    document_view,
    role_label,
    upload_server_set_fields,
)

__all__ = [
    "ACTION_TO_STATUS",
    "ALLOWED_TRANSITIONS",
    "LINK_NOT_YOURS",
    "STATUS_TO_ACTION",
    "access_log_open",
    "allowed_actions",
    "consent_action",
    "consent_request",
    "document_delete",
    "document_download",
    "document_download_authorize",
    "document_upload",
    "document_view",
    "role_label",
    "upload_server_set_fields",
]
