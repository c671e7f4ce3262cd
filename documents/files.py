"""Upload inspection and private storage: type by content, size cap, random stored names.

The uploaded name and declared content type are never trusted (the mobile client sends
`application/octet-stream`); only the first bytes decide, and the stored name is built from
a random UUID and the detected type, so no user input ever reaches the storage path.
"""

import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.utils import timezone

from core.exceptions import QuickCareError


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
JPEG = FileKind("image/jpeg", "jpg")
PNG = FileKind("image/png", "png")

_SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_HEADER_BYTES = 16


def documents_storage() -> Storage:
    """Resolved on every call (not at import) so a changed STORAGES setting takes effect."""
    return storages["documents"]


def human_size(size: int) -> str:
    """`512 bytes`, `12.3 KB`, `10 MB` (binary units, one decimal, no trailing `.0`)."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if size >= unit:
            tenths = (size * 10 + unit // 2) // unit
            whole, decimal = divmod(tenths, 10)
            return f"{whole} {name}" if decimal == 0 else f"{whole}.{decimal} {name}"
    return f"{size} bytes"


def too_large(*, size: int, limit: int, approximate: bool = False) -> QuickCareError:
    """400 `file_too_large` naming both sizes, in bytes when rounding would make them equal.

    `approximate`: the size is the whole request's (refused before the body is read)."""
    shown, cap = human_size(size), human_size(limit)
    if shown == cap:
        shown, cap = f"{size:,} bytes", f"{limit:,} bytes"
    about = "about " if approximate else ""
    return QuickCareError(
        f"The file is {about}{shown}; the limit is {cap}.", code="file_too_large", limit_bytes=limit
    )


def detect_kind(header: bytes) -> FileKind | None:
    for signature, kind in _SIGNATURES:
        if header.startswith(signature):
            return kind
    return None


def _read_header(file: IO[Any]) -> bytes:
    file.seek(0)
    header = file.read(_HEADER_BYTES)
    file.seek(0)
    return header if isinstance(header, bytes) else header.encode()


def inspect_upload(file: Any) -> FileKind:
    """Refuse empty, oversized or unrecognised files with a field error on `file`."""
    size = getattr(file, "size", None) or 0
    if size <= 0:
        raise ValidationError({"file": ["The submitted file is empty."]}, code="empty")
    cap = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if size > cap:
        raise too_large(size=size, limit=cap)
    kind = detect_kind(_read_header(file))
    if kind is None:
        raise ValidationError(
            {"file": ["Unsupported file type: upload a PDF, JPEG or PNG file."]},
            code="unsupported_type",
        )
    return kind


def random_storage_name(kind: FileKind) -> str:
    now = timezone.now()
    return f"documents/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{kind.extension}"


def store_upload(file: Any, kind: FileKind) -> str:
    """Save under a fresh random name; returns the name the storage actually used."""
    file.seek(0)
    return documents_storage().save(random_storage_name(kind), file)
