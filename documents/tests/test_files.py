"""File inspection alone: the content decides, never the name; stored names are random."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.exceptions import QuickCareError
from documents import files
from documents.tests.factories import HTML_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF_BYTES, files.PDF), (JPEG_BYTES, files.JPEG), (PNG_BYTES, files.PNG)],
)
def test_kinds_are_recognised_by_magic_number(content, kind):
    assert files.detect_kind(content[:16]) == kind


@pytest.mark.parametrize(
    "content",
    [HTML_BYTES, b"GIF89a....", b"PK\x03\x04zip", b"%PD", b"\x89PNG\r\n", b"MZ\x90\x00", b""],
)
def test_anything_else_is_unknown(content):
    assert files.detect_kind(content) is None


def test_inspect_ignores_name_and_declared_type():
    upload = SimpleUploadedFile("scan.png", PDF_BYTES, content_type="image/png")
    assert files.inspect_upload(upload) == files.PDF


def test_inspect_refuses_html_named_pdf():
    upload = SimpleUploadedFile("report.pdf", HTML_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        files.inspect_upload(upload)
    assert exc.value.message_dict == {
        "file": ["Unsupported file type: upload a PDF, JPEG or PNG file."]
    }


def test_inspect_refuses_empty_file():
    with pytest.raises(ValidationError) as exc:
        files.inspect_upload(SimpleUploadedFile("a.pdf", b""))
    assert exc.value.message_dict == {"file": ["The submitted file is empty."]}


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=64)
def test_inspect_refuses_file_over_the_cap_and_accepts_at_the_cap():
    assert files.inspect_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 59)) == files.PDF
    with pytest.raises(QuickCareError) as exc:
        files.inspect_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 60))
    assert exc.value.message == "The file is 65 bytes; the limit is 64 bytes."
    assert exc.value.code == "file_too_large"
    assert exc.value.extra == {"limit_bytes": 64}


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (10 * 1024 * 1024, "10 MB"),
        (int(12.3 * 1024 * 1024), "12.3 MB"),
        (int(12.96 * 1024 * 1024), "13 MB"),
    ],
)
def test_human_sizes(size, text):
    assert files.human_size(size) == text


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (int(12.3 * 1024 * 1024), 10 * 1024 * 1024, "The file is 12.3 MB; the limit is 10 MB."),
        (300 * 1024, 200 * 1024, "The file is 300 KB; the limit is 200 KB."),
        # Rounding would read "10 MB; the limit is 10 MB": exact bytes instead.
        (
            10 * 1024 * 1024 + 1,
            10 * 1024 * 1024,
            "The file is 10,485,761 bytes; the limit is 10,485,760 bytes.",
        ),
    ],
)
def test_the_size_error_names_the_limit(size, limit, message):
    error = files.too_large(size=size, limit=limit)
    assert (error.message, error.code, error.status_code) == (message, "file_too_large", 400)


def test_inspect_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    files.inspect_upload(upload)
    assert upload.read() == PDF_BYTES


def test_random_names_hold_date_uuid_and_detected_extension_only():
    name = files.random_storage_name(files.JPEG)
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert files.random_storage_name(files.JPEG) != name
