"""File inspection alone: the content decides, never the name; stored names are random."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

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
    with pytest.raises(ValidationError) as exc:
        files.inspect_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 60))
    assert exc.value.message_dict == {"file": ["The file is too large: the limit is 64 bytes."]}


def test_inspect_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    files.inspect_upload(upload)
    assert upload.read() == PDF_BYTES


def test_random_names_hold_date_uuid_and_detected_extension_only():
    name = files.random_storage_name(files.JPEG)
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert files.random_storage_name(files.JPEG) != name
