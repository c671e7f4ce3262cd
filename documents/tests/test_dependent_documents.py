"""A dependent's documents (issue 13): the holder reaches them with `?patient_profile=`, the
holder's own list stays their own, and nobody else (another account, a doctor without
consent) sees them."""

import pytest

from audit.models import AuditEvent
from audit.verify import verify_chain
from documents.models import MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL, detail_url
from documents.tests.factories import MedicalDocumentFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(patient):
    return dependent_of(patient, name="Aarav Sharma")


def test_a_parent_uploads_into_and_lists_the_childs_record(patient, child, client_for, upload_file):
    client = client_for(patient)
    url = f"{DOCUMENTS_URL}?patient_profile={child.pk}"
    response = client.post(
        url,
        {"title": "Vaccination card", "document_type": "other", "file": upload_file()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    document = MedicalDocument.objects.get()
    assert (document.patient_id, document.patient_profile_id) == (patient.pk, child.pk)
    assert response.json()["patient_name"] == "Aarav Sharma"

    assert client.get(DOCUMENTS_URL).json() == []  # the parent's own record
    (item,) = client.get(url).json()
    assert item["id"] == str(document.pk)
    # The upload and the list are on the child's own chain, which verifies.
    assert AuditEvent.objects.filter(patient_id=child.pk, document_id=document.pk).count() >= 2
    assert verify_chain(child.pk).valid
    assert not AuditEvent.objects.filter(patient_id=patient.pk).exists()


def test_a_childs_documents_are_invisible_to_another_account_and_to_doctors(
    patient, other_patient, child, doctor, client_for, appointment
):
    document = MedicalDocumentFactory(patient=patient, patient_profile=child)
    theirs = client_for(other_patient)
    assert theirs.get(f"{DOCUMENTS_URL}?patient_profile={child.pk}").status_code == 404
    assert theirs.get(detail_url(document.pk)).status_code == 404
    assert client_for(doctor).get(DOCUMENTS_URL).json() == []
    assert client_for(doctor).get(detail_url(document.pk)).status_code == 404


def test_a_doctor_with_consent_sees_only_the_consented_childs_document(
    patient, child, doctor, client_for, make_consent
):
    childs = MedicalDocumentFactory(patient=patient, patient_profile=child, title="Child CBC")
    MedicalDocumentFactory(patient=patient, title="Parent ECG")
    make_consent(childs)
    listing = client_for(doctor).get(DOCUMENTS_URL).json()
    assert [item["title"] for item in listing] == ["Child CBC"]
    assert listing[0]["patient_name"] == "Aarav Sharma"


def test_consents_and_access_log_are_per_profile(patient, child, doctor, client_for, make_consent):
    mine = MedicalDocumentFactory(patient=patient, title="Mine")
    childs = MedicalDocumentFactory(patient=patient, patient_profile=child, title="Child's")
    make_consent(mine, status="pending")
    pending = make_consent(childs, status="pending")
    client = client_for(patient)
    own = client.get(f"{DOCUMENTS_URL}consent/mine/").json()
    for_child = client.get(f"{DOCUMENTS_URL}consent/mine/?patient_profile={child.pk}").json()
    assert len(own) == 1
    assert len(for_child) == 1
    assert str(pending.pk) in str(for_child)
    assert str(pending.pk) not in str(own)
    # One consent is reached by its id without naming the profile: the holder acts for it.
    granted = client.patch(
        f"{DOCUMENTS_URL}consent/{pending.pk}/action/", {"action": "grant"}, format="json"
    )
    assert granted.status_code == 200, granted.content
    client_for(doctor).get(detail_url(childs.pk))
    log = client.get(f"{DOCUMENTS_URL}access-log/?patient_profile={child.pk}").json()
    assert log
    assert all(entry["document"] == str(childs.pk) for entry in log)
    assert client.get(f"{DOCUMENTS_URL}access-log/").json() == []


def test_another_accounts_profile_id_is_404(patient, other_patient, client_for):
    theirs = dependent_of(other_patient)
    response = client_for(patient).get(f"{DOCUMENTS_URL}?patient_profile={theirs.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "patient_profile_not_found"
    assert client_for(patient).get(f"{DOCUMENTS_URL}?patient_profile=nonsense").status_code == 404
