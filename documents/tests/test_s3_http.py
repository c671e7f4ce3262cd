"""Documents on S3 over real HTTP: an S3 server on loopback, not moto's in-process mock.

The endpoint is QUICKCARE_S3_ENDPOINT when set (CI's PostgreSQL run starts `moto_server` and
sets it; an endpoint that does not answer is an error, never a skip); otherwise each test
process starts moto's ThreadedMotoServer on a free loopback port, so these tests always run.
Every request (upload, presigned download, delete) crosses a socket, signed by botocore.
"""

import os
import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from django.conf import settings
from django.test import override_settings

from documents.models import MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL, detail_url, relative
from documents.tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
REGION = "ap-south-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "quickcare-test",
    "AWS_SECRET_ACCESS_KEY": "quickcare-test-secret",
    "AWS_DEFAULT_REGION": REGION,
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    configured = os.environ.get("QUICKCARE_S3_ENDPOINT", "")
    if configured:
        try:
            httpx.get(configured, timeout=5)
        except httpx.TransportError as exc:
            pytest.fail(f"QUICKCARE_S3_ENDPOINT={configured} does not answer: {exc}")
        yield configured
        return
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch) -> Iterator[tuple[str, object]]:
    """A fresh bucket on the endpoint and the production S3 storage options pointing at it."""
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    name = f"qc-test-{uuid.uuid4().hex[:20]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": name,
            "region_name": REGION,
            "endpoint_url": s3_endpoint,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 10,
            "file_overwrite": False,
        },
    }
    with override_settings(STORAGES={**settings.STORAGES, "documents": storage}):
        yield name, client
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def keys(bucket) -> list[str]:
    name, client = bucket
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]


def test_the_endpoint_is_a_real_http_server(s3_endpoint):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", s3_endpoint)
    assert httpx.get(s3_endpoint, timeout=5).status_code == 200


def test_an_upload_crosses_http_into_the_bucket(bucket, upload, patient):
    created = upload(patient)
    assert created.status_code == 201, created.json()
    stored = MedicalDocument.objects.get(pk=created.json()["id"]).file.name
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored)
    assert keys(bucket) == [stored]
    name, client = bucket
    assert client.get_object(Bucket=name, Key=stored)["Body"].read() == PDF_BYTES


def test_the_signed_link_redirects_to_a_presigned_url_that_serves_the_file(
    bucket, upload, patient, client_for, api_client, s3_endpoint
):
    created = upload(patient).json()
    link = client_for(patient).get(detail_url(created["id"])).json()["file"]
    assert link.startswith("http://testserver/api/documents/")
    response = api_client.get(relative(link))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_endpoint}/{bucket[0]}/documents/")
    query = parse_qs(urlsplit(location).query)
    assert int(query["X-Amz-Expires"][0]) <= 10
    assert "X-Amz-Signature" in query
    fetched = httpx.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PDF_BYTES
    assert 'filename="lab-report.pdf"' in fetched.headers["content-disposition"]


def test_a_doctor_with_consent_downloads_and_loses_it_on_revocation(
    bucket, upload, patient, doctor, appointment, client_for, api_client
):
    from documents.tests.factories import DocumentConsentFactory

    created = upload(patient).json()
    document = MedicalDocument.objects.get(pk=created["id"])
    consent = DocumentConsentFactory(
        document=document, doctor=doctor.doctor_profile, status="granted"
    )
    link = client_for(doctor).get(detail_url(document.pk)).json()["file"]
    location = api_client.get(relative(link))["Location"]
    assert httpx.get(location, timeout=10).content == PDF_BYTES
    consent.status = "revoked"
    consent.save()
    assert api_client.get(relative(link)).status_code == 404


def test_a_soft_deleted_document_keeps_its_object_but_no_longer_downloads(
    bucket, upload, patient, client_for, api_client
):
    created = upload(patient).json()
    link = client_for(patient).get(detail_url(created["id"])).json()["file"]
    assert client_for(patient).delete(detail_url(created["id"])).status_code == 204
    assert len(keys(bucket)) == 1  # kept: the access history still points at it
    assert api_client.get(relative(link)).status_code == 404


def test_a_failed_upload_deletes_its_object_over_http(bucket, upload, patient, monkeypatch):
    from documents.services import records

    def fail(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(records, "access_log_record", fail)
    with pytest.raises(RuntimeError):
        upload(patient)
    assert keys(bucket) == []
    assert not MedicalDocument.objects.exists()


def test_the_document_list_points_at_quickcare_not_at_the_bucket(
    bucket, upload, patient, client_for, s3_endpoint
):
    upload(patient)
    link = client_for(patient).get(DOCUMENTS_URL).json()[0]["file"]
    assert link.startswith("http://testserver/api/documents/")
    assert s3_endpoint not in link
