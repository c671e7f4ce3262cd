"""GET /api/documents/access-log/ and /<uuid>/access-log/: the owner reads who saw what."""

import uuid

import pytest
from django.test import override_settings

from documents.models import DocumentAccessLog
from documents.tests.conftest import DOCUMENTS_URL, detail_url, log_url
from documents.tests.factories import DocumentAccessLogFactory, MedicalDocumentFactory

pytestmark = pytest.mark.django_db

ALL_LOG_URL = f"{DOCUMENTS_URL}access-log/"


def test_entries_in_the_mobile_client_shape(client_for, patient, doctor, document, granted_consent):
    client_for(doctor).get(
        detail_url(document.pk), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Chrome"
    )
    response = client_for(patient).get(log_url(document.pk))
    assert response.status_code == 200
    body = response.json()
    assert [e["action"] for e in body] == ["file_link", "view"]
    entry = body[0]
    assert set(entry) == {
        "id",
        "document",
        "action",
        "detail",
        "accessed_by",
        "accessed_at",
        "ip_address",
        "user_agent",
    }
    assert isinstance(entry["id"], int)
    assert entry["document"] == str(document.pk)
    assert entry["accessed_by"] == {
        "id": str(doctor.pk),
        "name": "Dr. Suresh Yadav",
        "role": "doctor",
    }
    assert entry["ip_address"] == "203.0.113.7"
    assert entry["user_agent"] == "Chrome"


def test_an_entry_without_actor_shows_null(client_for, patient, document):
    DocumentAccessLogFactory(document=document, actor=None)
    assert client_for(patient).get(log_url(document.pk)).json()[0]["accessed_by"] is None


def test_the_global_log_covers_all_my_documents_newest_first(
    client_for, patient, document, other_document
):
    second = MedicalDocumentFactory(patient=patient)
    first_entry = DocumentAccessLogFactory(document=document, actor=patient)
    second_entry = DocumentAccessLogFactory(document=second, actor=patient)
    DocumentAccessLogFactory(document=other_document, actor=patient)
    body = client_for(patient).get(ALL_LOG_URL).json()
    assert [e["id"] for e in body] == [second_entry.pk, first_entry.pk]


def test_filters_by_action_and_document(client_for, patient, document):
    second = MedicalDocumentFactory(patient=patient)
    view = DocumentAccessLogFactory(document=document, action="view")
    DocumentAccessLogFactory(document=document, action="download")
    other = DocumentAccessLogFactory(document=second, action="view")
    client = client_for(patient)
    assert [e["id"] for e in client.get(ALL_LOG_URL, {"action": "view"}).json()] == [
        other.pk,
        view.pk,
    ]
    assert [e["id"] for e in client.get(ALL_LOG_URL, {"document": str(second.pk)}).json()] == [
        other.pk
    ]
    assert client.get(ALL_LOG_URL, {"action": "nope"}).status_code == 400
    assert client.get(ALL_LOG_URL, {"document": "nope"}).status_code == 400


def test_the_log_of_a_deleted_document_stays_readable(client_for, patient, document):
    client = client_for(patient)
    client.delete(detail_url(document.pk))
    actions = [e["action"] for e in client.get(log_url(document.pk)).json()]
    assert actions == ["delete"]
    assert [e["action"] for e in client.get(ALL_LOG_URL).json()] == ["delete"]


def test_denied_attempts_of_others_appear_in_my_log(client_for, patient, other_patient, document):
    client_for(other_patient).get(detail_url(document.pk))
    client_for(other_patient).delete(detail_url(document.pk))
    client_for(other_patient).get(log_url(document.pk))
    body = client_for(patient).get(log_url(document.pk)).json()
    assert [(e["action"], e["detail"], e["accessed_by"]["name"]) for e in body] == [
        ("denied", "log refused", other_patient.name),
        ("denied", "delete refused", other_patient.name),
        ("denied", "view refused", other_patient.name),
    ]


def test_unknown_document_log_answers_404(client_for, patient):
    assert client_for(patient).get(log_url(uuid.uuid4())).status_code == 404


@override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1})
def test_ip_is_taken_from_the_proxy_hop_when_configured(client_for, patient, document):
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        client_for(patient).get(
            detail_url(document.pk), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4"
        )
    finally:
        api_settings.reload()
    assert DocumentAccessLog.objects.filter(action="view").get().ip_address == "198.51.100.4"


def test_forwarded_for_is_ignored_without_proxies(client_for, patient, document):
    client_for(patient).get(
        detail_url(document.pk), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert DocumentAccessLog.objects.filter(action="view").get().ip_address == "10.0.0.2"


def test_long_user_agents_are_cut(client_for, patient, document):
    client_for(patient).get(detail_url(document.pk), HTTP_USER_AGENT="x" * 1000)
    assert len(DocumentAccessLog.objects.filter(action="view").get().user_agent) == 255


def test_log_list_query_count_is_constant(
    client_for, patient, doctor, document, django_assert_max_num_queries
):
    DocumentAccessLogFactory(document=document, actor=doctor)
    client = client_for(patient)
    with django_assert_max_num_queries(7) as few:
        assert len(client.get(ALL_LOG_URL).json()) == 1
        assert len(client.get(log_url(document.pk)).json()) == 1
    for _ in range(8):
        DocumentAccessLogFactory(document=MedicalDocumentFactory(patient=patient), actor=doctor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(ALL_LOG_URL).json()) == 9
        assert len(client.get(log_url(document.pk)).json()) == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_there_is_no_api_to_change_the_log(client_for, patient, document, method):
    DocumentAccessLogFactory(document=document)
    client = client_for(patient)
    for url in (ALL_LOG_URL, log_url(document.pk)):
        assert getattr(client, method)(url, {}).status_code == 405
    assert DocumentAccessLog.objects.count() == 1


@pytest.mark.parametrize("persona", ["doctor", "receptionist", "lab_member", "clinic_owner"])
def test_only_patients_read_logs(request, client_for, persona, document):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(ALL_LOG_URL).status_code == 403
    assert client.get(log_url(document.pk)).status_code == 403
