"""OpenAPI examples for document upload (multipart/form-data)."""

from drf_spectacular.utils import OpenApiExample

UPLOAD_EXAMPLES = [
    OpenApiExample(
        "Upload a lab report",
        value={
            "title": "CBC report, March 2026",
            "document_type": "lab_report",
            "description": "Complete blood count from City Lab",
            "file": "(the PDF, JPEG or PNG file)",
        },
        media_type="multipart/form-data",
        request_only=True,
        description="A multipart form: `file` is the file part (`curl -F "
        '"file=@report.pdf" -F "title=CBC report" -F "document_type=lab_report"`); '
        "doctors and lab members add `patient_id`. The type is recognised by content.",
    ),
]
