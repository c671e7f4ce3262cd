"""Nothing secret is ever logged: every log line of a patient's registration (OTP), a login,
a token refresh, a clinic owner adding staff (temporary password), the staff login and a
document upload and download is captured in both formats and searched for the secrets."""

import json
import logging
import re
from collections.abc import Iterator

import pytest
from rest_framework.test import APIClient

from core import logs
from core.sms import outbox
from documents.tests.conftest import relative

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-Lotus-Tea-42"
DOCUMENT_MARKER = b"CONFIDENTIAL-DIAGNOSIS-7731"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(logs.RequestContextFilter())
        self.json = logs.JsonFormatter()
        self.text = logs.TextFormatter()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Both formats, and every attribute the record carries (what any formatter could write).
        self.lines += [self.json.format(record), self.text.format(record), repr(vars(record))]


@pytest.fixture
def captured() -> Iterator[list[str]]:
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def post(client: APIClient, url: str, body: dict, capture_commits, **extra):
    with capture_commits(execute=True):
        return client.post(url, body, format="json", **extra)


def test_no_otp_password_token_or_document_content_is_logged(
    captured, django_capture_on_commit_callbacks, clinic, clinic_owner, client_for
):
    secrets: list[str] = [PASSWORD, DOCUMENT_MARKER.decode()]
    anon = APIClient()
    step1 = "/api/users/onboarding/patient/step1/"
    body = {"contact": 9876543210, "name": "Rahul Sharma", "password": PASSWORD}
    assert post(anon, step1, body, django_capture_on_commit_callbacks).status_code == 200
    otp = re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)
    secrets.append(otp)
    wrong = "111111" if otp != "111111" else "222222"
    step2 = "/api/users/onboarding/patient/step2/"
    assert anon.post(step2, {"contact": 9876543210, "otp": wrong}).status_code == 400
    created = anon.post(step2, {"contact": 9876543210, "otp": otp})
    assert created.status_code == 201
    secrets += [created.json()["access"], created.json()["refresh"]]

    patient = APIClient()
    patient.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['access']}")
    step3 = {"gender": "male", "age": 30}
    assert patient.patch("/api/users/onboarding/patient/step3/", step3).status_code == 200

    assert (
        anon.post("/api/users/login/", {"contact": 9876543210, "password": "Wrong-1"}).status_code
        == 401
    )
    login = anon.post("/api/users/login/", {"contact": 9876543210, "password": PASSWORD})
    assert login.status_code == 200
    access, refresh = login.json()["access"], login.json()["refresh"]
    secrets += [access, refresh]
    refreshed = anon.post("/api/users/token/refresh/", {"refresh": refresh})
    assert refreshed.status_code == 200
    secrets += [refreshed.json()["access"], refreshed.json()["refresh"]]

    # Staff: a temporary password by SMS, then the staff member's login with it.
    members = f"/api/clinics/{clinic.id}/members/"
    staff = {"contact": 9988776655, "name": "Dr. Suresh Yadav", "member_role": "doctor"}
    owner = client_for(clinic_owner)
    assert post(owner, members, staff, django_capture_on_commit_callbacks).status_code == 201
    temp = re.search(r"Temporary password: (\S+)", outbox[-1].body).group(1)
    secrets.append(temp)
    staff_login = anon.post("/api/users/login/", {"contact": 9988776655, "password": temp})
    assert staff_login.status_code == 200
    secrets += [staff_login.json()["access"], staff_login.json()["refresh"]]

    # A document: its contents, and the signed token of its download link.
    patient.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n" + DOCUMENT_MARKER + b"\n%%EOF\n")
    created_doc = patient.post(
        "/api/documents/",
        {"title": "Lab report", "document_type": "lab_report", "file": upload},
        format="multipart",
    )
    assert created_doc.status_code == 201, created_doc.json()
    link = created_doc.json()["file"]
    secrets.append(link.split("token=", 1)[1])
    download = anon.get(relative(link))
    assert download.status_code == 200
    assert anon.get(relative(link) + "tampered").status_code in (403, 404)

    text = "\n".join(captured)
    assert any('"logger": "quickcare.request"' in line for line in captured)
    assert sum(1 for line in captured if line.startswith('{"')) >= 12
    for line in captured:
        if line.startswith('{"'):
            json.loads(line)
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == []
    assert "Bearer" not in text
