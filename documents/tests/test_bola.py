"""BOLA matrix: nobody but the owner reads, lists, deletes or sees the log of my documents.

Out-of-scope objects answer 404, a wrong role 403, no token 401 (CONVENTIONS.md).
"""

import pytest

from documents.links import mint_file_token
from documents.tests.conftest import DOCUMENTS_URL, action_url, detail_url, log_url
from documents.tests.factories import MedicalDocumentFactory

pytestmark = pytest.mark.django_db

# persona -> (list, detail, delete, document log, global log)
MATRIX = {
    "other_patient": (200, 404, 404, 404, 200),
    "doctor": (200, 404, 403, 403, 403),
    "other_doctor": (200, 404, 403, 403, 403),
    "clinic_owner": (403, 403, 403, 403, 403),
    "receptionist": (403, 403, 403, 403, 403),
    "lab_member": (403, 403, 403, 403, 403),
    "superadmin": (403, 403, 403, 403, 403),
}


@pytest.fixture
def my_world(patient, document, make_consent, other_doctor_profile, other_patient, client_for):
    """My document with a consent to another doctor on *another patient's* file, and a log."""
    make_consent(MedicalDocumentFactory(patient=other_patient), doctor=other_doctor_profile)
    client_for(patient).get(detail_url(document.pk))
    return document


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_nobody_else_reaches_my_document(request, client_for, persona, my_world):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    expected = MATRIX[persona]
    listing = client.get(DOCUMENTS_URL)
    detail = client.get(detail_url(my_world.pk))
    delete = client.delete(detail_url(my_world.pk))
    document_log = client.get(log_url(my_world.pk))
    global_log = client.get(f"{DOCUMENTS_URL}access-log/")
    statuses = (
        listing.status_code,
        detail.status_code,
        delete.status_code,
        document_log.status_code,
        global_log.status_code,
    )
    assert statuses == expected
    if listing.status_code == 200:
        assert str(my_world.pk) not in {d["id"] for d in listing.json()}
    if global_log.status_code == 200:
        assert str(my_world.pk) not in {e["document"] for e in global_log.json()}
    for response in (detail, delete, document_log):
        assert "file" not in response.json()
    my_world.refresh_from_db()
    assert not my_world.is_deleted


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_a_link_minted_for_someone_else_does_not_download_my_file(
    request, api_client, persona, my_world
):
    user = request.getfixturevalue(persona)
    token = mint_file_token(document_id=my_world.pk, user_id=user.pk)
    response = api_client.get(f"{detail_url(my_world.pk)}file/", {"token": token})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"), [("other_patient", 404), ("doctor", 403), ("clinic_owner", 403)]
)
def test_nobody_else_acts_on_my_consents(
    request, client_for, persona, expected, document, make_consent
):
    consent = make_consent(document, status="pending")
    response = client_for(request.getfixturevalue(persona)).patch(
        action_url(consent.pk), {"action": "grant"}
    )
    assert response.status_code == expected
    consent.refresh_from_db()
    assert consent.status == "pending"


def test_anonymous_reaches_nothing(api_client, document, make_consent):
    consent = make_consent(document, status="pending")
    for method, url in (
        ("get", DOCUMENTS_URL),
        ("get", detail_url(document.pk)),
        ("delete", detail_url(document.pk)),
        ("get", log_url(document.pk)),
        ("get", f"{DOCUMENTS_URL}access-log/"),
        ("get", f"{DOCUMENTS_URL}consent/mine/"),
        ("get", f"{DOCUMENTS_URL}consent/doctor/"),
        ("patch", action_url(consent.pk)),
    ):
        assert getattr(api_client, method)(url).status_code == 401, url
    document.refresh_from_db()
    assert not document.is_deleted


def test_a_forged_bearer_token_is_401(api_client, document):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    assert api_client.get(detail_url(document.pk)).status_code == 401
