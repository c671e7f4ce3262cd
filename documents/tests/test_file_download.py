"""The signed download view: signature, expiry, access re-checked, logged; S3 via moto."""

import datetime as dt
import re
import runpy
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import override_settings
from django.utils import timezone
from moto import mock_aws

from documents.files import documents_storage
from documents.links import SALT, link_ttl_seconds, mint_file_token
from documents.models import DocumentAccessLog, MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL, detail_url, relative
from documents.tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def _link(client, document) -> str:
    return client.get(detail_url(document.pk)).json()["file"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_patient_downloads_own_file_without_a_jwt(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    response = api_client.get(relative(link), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    assert _body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cbc-report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    log = DocumentAccessLog.objects.get(document=document, action="download")
    assert (log.actor, log.ip_address) == (patient, "10.9.8.7")


def test_the_link_works_whatever_the_client_accepts(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    response = api_client.get(relative(link), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200


def test_png_is_served_with_its_detected_type(client_for, api_client, patient, upload):
    created = upload(patient, content=PNG_BYTES, name="x.pdf").json()
    response = api_client.get(relative(created["file"]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')
    assert _body(response) == PNG_BYTES


def test_link_ttl_is_at_most_sixty_seconds():
    assert settings.DOCUMENT_LINK_TTL_SECONDS <= 60


@pytest.mark.parametrize(("configured", "effective"), [(600, 60), (61, 60), (60, 60), (5, 5)])
def test_the_link_ttl_environment_variable_is_clamped_to_sixty(monkeypatch, configured, effective):
    monkeypatch.setenv("DOCUMENT_LINK_TTL_SECONDS", str(configured))
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    probed = runpy.run_path(str(settings.BASE_DIR / "quickcare" / "settings.py"))
    assert probed["DOCUMENT_LINK_TTL_SECONDS"] == effective


def _status_after(client_for, api_client, patient, document, seconds: int) -> int:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        link = _link(client_for(patient), document)
        traveller.shift(dt.timedelta(seconds=seconds))
        return api_client.get(relative(link)).status_code


@override_settings(DOCUMENT_LINK_TTL_SECONDS=600)
def test_a_link_ttl_setting_above_sixty_is_clamped_to_sixty(
    client_for, api_client, patient, document
):
    assert link_ttl_seconds() == 60
    assert _status_after(client_for, api_client, patient, document, 59) == 200
    assert _status_after(client_for, api_client, patient, document, 61) == 403
    assert DocumentAccessLog.objects.get(action="denied").detail == "expired link"


@override_settings(DOCUMENT_LINK_TTL_SECONDS=5)
def test_a_lower_link_ttl_setting_is_honoured(client_for, api_client, patient, document):
    assert link_ttl_seconds() == 5
    assert _status_after(client_for, api_client, patient, document, 4) == 200
    assert _status_after(client_for, api_client, patient, document, 6) == 403
    assert DocumentAccessLog.objects.get(action="denied").detail == "expired link"


def test_a_link_is_refused_61_seconds_later_and_the_attempt_logged(
    client_for, api_client, patient, document
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        link = _link(client_for(patient), document)
        traveller.shift(dt.timedelta(seconds=59))
        assert api_client.get(relative(link)).status_code == 200
        traveller.shift(dt.timedelta(seconds=2))
        response = api_client.get(relative(link))
    assert response.status_code == 403
    assert response.json() == {
        "message": "This link has expired; ask for the document again.",
        "code": "link_expired",
    }
    denied = DocumentAccessLog.objects.get(document=document, action="denied")
    assert (denied.actor, denied.detail) == (patient, "expired link")


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="garbage"),
        pytest.param("a:b:c", id="three-parts"),
        pytest.param(lambda: signing.dumps({"d": "x", "u": "y"}, salt="other"), id="other-salt"),
    ],
)
def test_malformed_or_foreign_tokens_are_refused(api_client, document, token):
    token = token() if callable(token) else token
    response = api_client.get(f"{detail_url(document.pk)}file/", {"token": token})
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_link"


def test_missing_token_is_refused(api_client, document):
    assert api_client.get(f"{detail_url(document.pk)}file/").status_code == 403


def test_a_tampered_token_is_refused(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    token = parse_qs(urlsplit(link).query)["token"][0]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = api_client.get(f"{detail_url(document.pk)}file/", {"token": forged})
    assert response.status_code == 403


def test_a_token_for_one_document_does_not_open_another(client_for, api_client, patient, document):
    from documents.tests.factories import MedicalDocumentFactory

    sibling = MedicalDocumentFactory(patient=patient)
    token = mint_file_token(document_id=document.pk, user_id=patient.pk)
    response = api_client.get(f"{detail_url(sibling.pk)}file/", {"token": token})
    assert response.status_code == 403


def test_a_token_minted_for_a_user_without_access_is_refused_and_logged(
    api_client, other_patient, document
):
    token = mint_file_token(document_id=document.pk, user_id=other_patient.pk)
    response = api_client.get(f"{detail_url(document.pk)}file/", {"token": token})
    assert response.status_code == 404
    denied = DocumentAccessLog.objects.get(document=document, action="denied")
    assert denied.actor == other_patient


def test_a_deleted_document_no_longer_downloads(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    client_for(patient).delete(detail_url(document.pk))
    assert api_client.get(relative(link)).status_code == 404


def test_a_deactivated_user_link_stops_working(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    patient.is_active = False
    patient.save()
    assert api_client.get(relative(link)).status_code == 404


def test_a_file_missing_from_storage_answers_404(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    documents_storage().delete(document.file.name)
    response = api_client.get(relative(link))
    assert response.status_code == 404
    assert response.json()["code"] == "file_missing"


def test_signature_uses_the_documents_salt(patient, document):
    token = mint_file_token(document_id=document.pk, user_id=patient.pk)
    assert signing.loads(token, salt=SALT) == {"d": str(document.pk), "u": str(patient.pk)}


def test_no_upload_is_reachable_at_a_public_url(client_for, api_client, patient, upload):
    created = upload(patient).json()
    name = MedicalDocument.objects.get(pk=created["id"]).file.name
    for path in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/private_media/{name}"):
        assert api_client.get(path).status_code == 404


# --- S3 (moto) --------------------------------------------------------------------------------

BUCKET = "quickcare-test-documents"
# The production S3 options of quickcare/settings.py, with a test bucket.
S3_STORAGES = {
    **settings.STORAGES,
    "documents": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "region_name": "ap-south-1",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 10,
            "file_overwrite": False,
        },
    },
}


@pytest.fixture
def s3_bucket(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws(), override_settings(STORAGES=S3_STORAGES):
        client = boto3.client("s3", region_name="ap-south-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
        )
        yield client


def test_s3_upload_lands_in_the_bucket_and_download_redirects_to_a_short_presigned_url(
    s3_bucket, client_for, api_client, patient, upload
):
    created = upload(patient, name="../../etc/passwd.pdf")
    assert created.status_code == 201, created.json()
    name = MedicalDocument.objects.get(pk=created.json()["id"]).file.name
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=name)
    assert stored["Body"].read() == PDF_BYTES
    keys = [o["Key"] for o in s3_bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [name]

    response = api_client.get(relative(created.json()["file"]))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path.endswith(name)
    assert int(query["X-Amz-Expires"][0]) <= 10
    assert query["response-content-disposition"] == ['attachment; filename="lab-report.pdf"']
    assert DocumentAccessLog.objects.filter(action="download", actor=patient).count() == 1


@pytest.mark.parametrize(("configured", "expires"), [(3600, 10), (11, 10), (5, 5)])
def test_the_presigned_url_lives_at_most_ten_seconds_and_a_shorter_ttl_is_honoured(
    s3_bucket, api_client, patient, upload, configured, expires
):
    created = upload(patient).json()
    storages = {**S3_STORAGES, "documents": {**S3_STORAGES["documents"]}}
    storages["documents"]["OPTIONS"] = {
        **S3_STORAGES["documents"]["OPTIONS"],
        "querystring_expire": configured,
    }
    with override_settings(STORAGES=storages):
        response = api_client.get(relative(created["file"]))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == [str(expires)]


def test_s3_download_is_refused_after_revocation(
    s3_bucket, client_for, api_client, patient, doctor, appointment, upload
):
    from documents.tests.factories import DocumentConsentFactory

    created = upload(patient).json()
    document = MedicalDocument.objects.get(pk=created["id"])
    consent = DocumentConsentFactory(
        document=document, doctor=doctor.doctor_profile, status="granted"
    )
    link = client_for(doctor).get(detail_url(document.pk)).json()["file"]
    assert api_client.get(relative(link)).status_code == 302
    consent.status = "revoked"
    consent.save()
    assert api_client.get(relative(link)).status_code == 404


def test_s3_document_list_still_points_at_quickcare_not_at_the_bucket(
    s3_bucket, client_for, patient, upload
):
    upload(patient)
    link = client_for(patient).get(DOCUMENTS_URL).json()[0]["file"]
    assert link.startswith("http://testserver/api/documents/")
    assert "amazonaws" not in link
