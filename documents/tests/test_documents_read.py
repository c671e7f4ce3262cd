"""GET /api/documents/, GET|DELETE /api/documents/<uuid>/: scoping, filters, soft delete, logs."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from audit.tests.helpers import APPEND_QUERIES
from documents.models import DocumentAccessLog, MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL, detail_url
from documents.tests.factories import MedicalDocumentFactory

pytestmark = pytest.mark.django_db

DOCUMENT_FIELDS = {
    "id",
    "title",
    "document_type",
    "description",
    "file",
    "content_type",
    "size_bytes",
    "appointment",
    "patient",
    "patient_name",
    "uploaded_by",
    "uploaded_by_role",
    "created_at",
}


def test_patient_lists_own_documents_newest_first(client_for, patient, document, other_document):
    newer = MedicalDocumentFactory(patient=patient, document_type="prescription")
    response = client_for(patient).get(DOCUMENTS_URL)
    assert response.status_code == 200
    body = response.json()
    assert [d["id"] for d in body] == [str(newer.pk), str(document.pk)]
    assert response["X-Total-Count"] == "2"
    assert set(body[0]) == DOCUMENT_FIELDS
    assert body[1]["appointment"] == document.appointment_id
    assert body[1]["file"].startswith(f"http://testserver/api/documents/{document.pk}/file/?")


def test_list_mints_and_logs_one_link_per_listed_document(client_for, patient, document):
    client_for(patient).get(DOCUMENTS_URL, HTTP_USER_AGENT="QuickCare/1.0", REMOTE_ADDR="10.1.2.3")
    log = DocumentAccessLog.objects.get(document=document)
    assert (log.action, log.actor, log.detail) == ("file_link", patient, "list")
    assert (log.ip_address, log.user_agent) == ("10.1.2.3", "QuickCare/1.0")


def test_a_full_page_logs_only_the_documents_it_shows(client_for, patient):
    """The page reads one document more than it shows (core.pagination): that one is neither
    shown nor logged."""
    MedicalDocumentFactory.create_batch(4, patient=patient)
    response = client_for(patient).get(DOCUMENTS_URL, {"page_size": 3})
    shown = {row["id"] for row in response.json()}
    assert len(shown) == 3
    assert response["X-Total-Count"] == "4"
    logged = DocumentAccessLog.objects.filter(action="file_link").values_list("document_id")
    assert {str(document_id) for (document_id,) in logged} == shown


@pytest.mark.parametrize("param", ["document_type", "type"])
def test_filter_by_type_and_its_alias(client_for, patient, document, param):
    prescription = MedicalDocumentFactory(patient=patient, document_type="prescription")
    body = client_for(patient).get(DOCUMENTS_URL, {param: "prescription"}).json()
    assert [d["id"] for d in body] == [str(prescription.pk)]


@pytest.mark.parametrize("param", ["document_type", "type"])
def test_bad_type_filter_answers_400(client_for, patient, param):
    response = client_for(patient).get(DOCUMENTS_URL, {param: "xray"})
    assert response.status_code == 400
    assert param in response.json()


def test_filter_by_appointment(client_for, patient, document):
    MedicalDocumentFactory(patient=patient)
    body = client_for(patient).get(DOCUMENTS_URL, {"appointment": document.appointment_id}).json()
    assert [d["id"] for d in body] == [str(document.pk)]


@pytest.mark.parametrize("value", ["abc", "0", "1.5", "99999999999999999999", "-1"])
def test_bad_appointment_filter_answers_400(client_for, patient, value):
    response = client_for(patient).get(DOCUMENTS_URL, {"appointment": value})
    assert response.status_code == 400
    assert "appointment" in response.json()


def test_pagination_headers(client_for, patient):
    for _ in range(3):
        MedicalDocumentFactory(patient=patient)
    response = client_for(patient).get(DOCUMENTS_URL, {"page_size": 2})
    assert len(response.json()) == 2
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]
    assert client_for(patient).get(DOCUMENTS_URL, {"page": 9}).status_code == 404


def test_document_list_query_count_is_constant(client_for, patient, django_assert_max_num_queries):
    for _ in range(2):
        MedicalDocumentFactory(patient=patient)
    client = client_for(patient)
    with django_assert_max_num_queries(4 + APPEND_QUERIES) as few:
        assert len(client.get(DOCUMENTS_URL).json()) == 2
    for _ in range(8):
        MedicalDocumentFactory(patient=patient)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(DOCUMENTS_URL).json()) == 10


def test_doctor_list_query_count_is_constant(
    client_for, doctor, patient, make_consent, django_assert_max_num_queries
):
    make_consent(MedicalDocumentFactory(patient=patient))
    client = client_for(doctor)
    # The break-glass patients come with the page (documents.rows), not in a query of their own.
    with django_assert_max_num_queries(4 + APPEND_QUERIES) as few:
        assert len(client.get(DOCUMENTS_URL).json()) == 1
    for _ in range(6):
        make_consent(MedicalDocumentFactory(patient=patient))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(DOCUMENTS_URL).json()) == 7


def test_doctor_lists_only_documents_with_an_active_consent(
    client_for, doctor, patient, other_patient, make_consent, other_doctor_profile
):
    granted = MedicalDocumentFactory(patient=patient, title="granted")
    make_consent(granted)
    lapsed = MedicalDocumentFactory(patient=patient, title="lapsed")
    make_consent(lapsed, expires_at=timezone.now() - dt.timedelta(minutes=1))
    for status in ("pending", "rejected", "revoked"):
        make_consent(MedicalDocumentFactory(patient=patient, title=status), status=status)
    to_other = MedicalDocumentFactory(patient=other_patient, title="to another doctor")
    make_consent(to_other, doctor=other_doctor_profile)
    MedicalDocumentFactory(patient=patient, title="never asked")
    body = client_for(doctor).get(DOCUMENTS_URL).json()
    assert [d["title"] for d in body] == ["granted"]
    assert body[0]["patient_name"] == patient.name


def test_patient_gets_own_document_and_the_view_is_logged(client_for, patient, document):
    response = client_for(patient).get(detail_url(document.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(document.pk)
    assert body["title"] == "CBC report"
    assert body["uploaded_by"] == {"id": str(patient.pk), "name": patient.name, "role": "patient"}
    actions = DocumentAccessLog.objects.filter(document=document).values_list("action", flat=True)
    assert sorted(actions) == ["file_link", "view"]


def test_unknown_and_malformed_ids_answer_404(client_for, patient):
    client = client_for(patient)
    assert client.get(detail_url(uuid.uuid4())).status_code == 404
    assert client.get(f"{DOCUMENTS_URL}123/").status_code == 404
    assert client.get(f"{DOCUMENTS_URL}not-a-uuid/").status_code == 404
    assert client.delete(f"{DOCUMENTS_URL}not-a-uuid/").status_code == 404
    assert client.get(f"{DOCUMENTS_URL}not-a-uuid/access-log/").status_code == 404


def test_owner_soft_deletes(client_for, patient, document):
    client = client_for(patient)
    response = client.delete(detail_url(document.pk))
    assert response.status_code == 204
    document.refresh_from_db()
    assert document.is_deleted
    assert document.deleted_at is not None
    assert client.get(detail_url(document.pk)).status_code == 404
    assert client.get(DOCUMENTS_URL).json() == []
    assert client.delete(detail_url(document.pk)).status_code == 404
    assert MedicalDocument.objects.filter(pk=document.pk).exists()
    assert DocumentAccessLog.objects.filter(document=document, action="delete").count() == 1


def test_deleting_a_document_closes_it_to_a_consented_doctor(
    client_for, patient, doctor, document, granted_consent
):
    assert client_for(doctor).get(detail_url(document.pk)).status_code == 200
    client_for(patient).delete(detail_url(document.pk))
    assert client_for(doctor).get(detail_url(document.pk)).status_code == 404
    assert client_for(doctor).get(DOCUMENTS_URL).json() == []


@pytest.mark.parametrize("persona", ["receptionist", "clinic_owner", "lab_member", "superadmin"])
def test_roles_without_document_access_get_403_on_the_list(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(DOCUMENTS_URL).status_code == 403


def test_staff_with_incomplete_onboarding_get_403(client_for, doctor):
    doctor.is_complete_onboarding = False
    doctor.save()
    response = client_for(doctor).get(DOCUMENTS_URL)
    assert response.status_code == 403
    assert response.json()["onboarding_required"] is True


def test_doctors_reach_follows_a_profile_made_again_for_the_same_account(
    client_for, document, make_consent
):
    """The reach names the doctor's profile by id (`documents.policies.doctor_profile_id`,
    cached): a profile removed and made again for the same account is the one the list and
    the single read use at once, never the old id."""
    from doctors.models import DoctorProfile
    from doctors.tests.factories import DoctorProfileFactory

    first = DoctorProfileFactory()
    account = first.user
    assert client_for(account).get(DOCUMENTS_URL).json() == []  # the old id is cached now
    first.delete()
    second = DoctorProfile.objects.create(
        user=account,
        specialty="cardiology",
        qualification="MBBS",
        experience_years=3,
        first_visit_fee=400,
        follow_up_fee=200,
    )
    make_consent(document, doctor=second)
    client = client_for(account)
    assert [row["id"] for row in client.get(DOCUMENTS_URL).json()] == [str(document.pk)]
    assert client.get(detail_url(document.pk)).status_code == 200
