"""The documents services alone: a detail view, the log and a download, each logged in one place.

Refusals are written by the service that refuses, and the row survives the failure: the request
is not atomic, and the row is written outside any block the refusal rolls back.
"""

import uuid
from types import SimpleNamespace

import pytest
from rest_framework.exceptions import AuthenticationFailed

from core.exceptions import NotFound, NotPermitted
from documents import services
from documents.access import RequestMeta
from documents.files import PRESIGNED_URL_MAX_SECONDS, presigned_ttl_seconds
from documents.links import mint_file_token
from documents.models import DocumentAccessLog

pytestmark = pytest.mark.django_db

META = RequestMeta(ip_address="198.51.100.9", user_agent="QuickCare/1.0")


def _rows(document) -> list[tuple]:
    rows = DocumentAccessLog.objects.filter(document=document).order_by("pk")
    return list(rows.values_list("action", "actor", "detail", "ip_address", "user_agent"))


def test_document_view_returns_the_document_and_logs_view_and_link(patient, document):
    seen = services.document_view(actor=patient, request_meta=META, document_id=document.pk)
    assert seen == document
    assert _rows(document) == [
        ("view", patient.pk, "", "198.51.100.9", "QuickCare/1.0"),
        ("file_link", patient.pk, "", "198.51.100.9", "QuickCare/1.0"),
    ]


def test_document_view_out_of_reach_logs_the_refusal_then_raises(other_patient, document):
    with pytest.raises(NotFound):
        services.document_view(actor=other_patient, request_meta=META, document_id=document.pk)
    assert _rows(document) == [
        ("denied", other_patient.pk, "view refused", "198.51.100.9", "QuickCare/1.0")
    ]


def test_document_view_of_an_unknown_id_raises_and_logs_nothing(patient):
    with pytest.raises(NotFound):
        services.document_view(actor=patient, request_meta=META, document_id=uuid.uuid4())
    assert DocumentAccessLog.objects.count() == 0


def test_access_log_open_by_someone_else_is_logged(patient, other_patient, document):
    assert services.access_log_open(actor=patient, request_meta=META, document_id=document.pk)
    with pytest.raises(NotFound):
        services.access_log_open(actor=other_patient, request_meta=META, document_id=document.pk)
    assert [row[:3] for row in _rows(document)] == [("denied", other_patient.pk, "log refused")]


def test_document_download_with_a_good_link_is_logged_as_a_download(patient, document):
    token = mint_file_token(document_id=document.pk, user_id=patient.pk)
    opened = services.document_download(
        request_meta=META, document_id=document.pk, token=token, bearer=lambda: None
    )
    assert opened == document
    assert [row[:2] for row in _rows(document)] == [("download", patient.pk)]


def test_document_download_with_a_bad_link_never_resolves_the_bearer(document):
    def bearer():
        raise AssertionError("the bearer is read only after the link")

    with pytest.raises(NotPermitted) as refused:
        services.document_download(
            request_meta=META, document_id=document.pk, token="garbage", bearer=bearer
        )
    assert refused.value.code == "invalid_link"
    assert _rows(document) == []


def test_document_download_with_an_invalid_bearer_logs_it_and_raises(patient, document):
    token = mint_file_token(document_id=document.pk, user_id=patient.pk)

    def bearer():
        raise AuthenticationFailed("bad token")

    with pytest.raises(AuthenticationFailed):
        services.document_download(
            request_meta=META, document_id=document.pk, token=token, bearer=bearer
        )
    assert [row[:3] for row in _rows(document)] == [("denied", None, "invalid bearer token")]


def test_document_download_with_another_users_bearer_is_refused_and_logged(
    patient, doctor, document
):
    token = mint_file_token(document_id=document.pk, user_id=patient.pk)
    with pytest.raises(NotPermitted) as refused:
        services.document_download(
            request_meta=META, document_id=document.pk, token=token, bearer=lambda: doctor
        )
    assert refused.value.code == "link_not_yours"
    assert [row[:3] for row in _rows(document)] == [
        ("denied", doctor.pk, "link issued to another user")
    ]


@pytest.mark.parametrize(("configured", "effective"), [(3600, 10), (10, 10), (3, 3)])
def test_the_presign_ttl_is_clamped_in_one_place(configured, effective):
    assert PRESIGNED_URL_MAX_SECONDS == 10
    assert presigned_ttl_seconds(SimpleNamespace(querystring_expire=configured)) == effective
