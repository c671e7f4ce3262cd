"""Private storage: uploads typed by content, random stored names, and the file response.

The uploaded name and declared content type are never trusted (the mobile client sends
`application/octet-stream`); only the first bytes decide, and the stored name is built from
a random UUID and the detected type, so no user input ever reaches the storage path.
Downloads are answered here too, whatever the backend: a short presigned redirect on S3,
the file streamed from disk otherwise.
"""

import posixpath
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.text import slugify

from core.error_codes import ErrorCode
from core.exceptions import NotFound, QuickCareError
from documents.models import MedicalDocument

# A presigned URL is a bearer credential the download view cannot revoke: it must die within
# seconds, so revoking consent closes the document almost at once (DESIGN.md), whatever
# S3_PRESIGNED_TTL_SECONDS says.
PRESIGNED_URL_MAX_SECONDS = 10


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
        f"The file is {about}{shown}; the limit is {cap}.",
        code=ErrorCode.FILE_TOO_LARGE,
        limit_bytes=limit,
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


def presigned_ttl_seconds(storage: Any) -> int:
    """The storage's presign lifetime, never above PRESIGNED_URL_MAX_SECONDS."""
    return min(int(storage.querystring_expire), PRESIGNED_URL_MAX_SECONDS)


def download_filename(document: MedicalDocument) -> str:
    """The title as a safe file name, with the stored (detected) extension."""
    extension = posixpath.splitext(str(document.file.name))[1]
    return f"{slugify(document.title)[:60] or 'document'}{extension}"


def _s3_redirect(storage: Any, document: MedicalDocument, filename: str) -> HttpResponse:
    url = storage.url(
        str(document.file.name),
        parameters={
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseContentType": document.content_type,
        },
        expire=presigned_ttl_seconds(storage),
    )
    return HttpResponseRedirect(url)


def _streamed(storage: Storage, document: MedicalDocument, filename: str) -> FileResponse:
    try:
        handle = storage.open(str(document.file.name), "rb")
    except FileNotFoundError as exc:
        raise NotFound("The file is missing.", code=ErrorCode.FILE_MISSING) from exc
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=document.content_type
    )


def file_response_for(document: MedicalDocument) -> HttpResponse | FileResponse:
    """The answer to an authorised download: S3 redirects to a presigned URL, disk streams."""
    # Imported here: boto3 loads only when the S3 backend is in use.
    from storages.backends.s3 import S3Storage

    storage = documents_storage()
    filename = download_filename(document)
    response: HttpResponse | FileResponse
    if isinstance(storage, S3Storage):
        response = _s3_redirect(storage, document, filename)
    else:
        response = _streamed(storage, document, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response
