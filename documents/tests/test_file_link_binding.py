"""A signed file link is bound to the user it was issued to.

No Authorization header: the link alone works while fresh (mobile viewers open it directly).
A bearer token of the issuee: works. A bearer token of anyone else: 403 `link_not_yours`, logged
as a denied attempt by the bearer. Choice: an invalid or expired bearer token answers 401 (the
usual "refresh your token" signal; we cannot tell who sent it), logged as a denied attempt by
an unknown actor. An Authorization header of another scheme is no bearer token and is ignored,
as everywhere else in the API.
"""

import datetime as dt
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from documents.models import DocumentAccessLog
from documents.tests.conftest import detail_url, relative

pytestmark = pytest.mark.django_db


def _link(client, document) -> str:
    return relative(client.get(detail_url(document.pk)).json()["file"])


def _denied(document) -> list[tuple]:
    rows = DocumentAccessLog.objects.filter(document=document, action="denied")
    return list(rows.values_list("actor", "detail"))


def _downloads(document) -> list:
    rows = DocumentAccessLog.objects.filter(document=document, action="download")
    return list(rows.values_list("actor", flat=True))


def _refused_as_not_yours(response) -> None:
    assert response.status_code == 403
    assert response.json() == {
        "message": "This link was issued to someone else; open the document from your own account.",
        "code": "link_not_yours",
    }


def test_the_link_alone_works_while_fresh(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    assert api_client.get(link).status_code == 200
    assert _downloads(document) == [patient.pk]


def test_the_link_with_its_own_users_token_works(client_for, patient, document):
    client = client_for(patient)
    response = client.get(_link(client, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert _downloads(document) == [patient.pk]
    assert _denied(document) == []


def test_a_doctor_holding_a_patients_link_is_refused_and_logged(
    client_for, patient, doctor, document
):
    link = _link(client_for(patient), document)
    _refused_as_not_yours(client_for(doctor).get(link, REMOTE_ADDR="10.1.2.3"))
    assert _denied(document) == [(doctor.pk, "link issued to another user")]
    row = DocumentAccessLog.objects.get(document=document, action="denied")
    assert row.ip_address == "10.1.2.3"
    assert _downloads(document) == []


def test_even_a_doctor_with_consent_cannot_use_the_patients_link(
    client_for, patient, doctor, document, granted_consent
):
    link = _link(client_for(patient), document)
    _refused_as_not_yours(client_for(doctor).get(link))
    # Their own link works.
    assert client_for(doctor).get(_link(client_for(doctor), document)).status_code == 200


def test_another_patient_holding_the_link_is_refused_and_logged(
    client_for, patient, other_patient, document
):
    link = _link(client_for(patient), document)
    _refused_as_not_yours(client_for(other_patient).get(link))
    assert _denied(document) == [(other_patient.pk, "link issued to another user")]


def test_the_owner_cannot_use_a_link_issued_to_the_doctor(
    client_for, patient, doctor, document, granted_consent
):
    link = _link(client_for(doctor), document)
    _refused_as_not_yours(client_for(patient).get(link))
    assert _denied(document) == [(patient.pk, "link issued to another user")]


def test_the_patients_own_log_shows_the_refused_attempt(client_for, patient, doctor, document):
    link = _link(client_for(patient), document)
    client_for(doctor).get(link)
    log = client_for(patient).get(f"{detail_url(document.pk)}access-log/").json()
    denied = [e for e in log if e["action"] == "denied"]
    assert [(e["accessed_by"]["id"], e["detail"]) for e in denied] == [
        (str(doctor.pk), "link issued to another user")
    ]


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer garbage", id="garbage"),
        pytest.param("Bearer", id="no-token"),
        pytest.param("Bearer a.b.c", id="malformed-jwt"),
    ],
)
def test_an_invalid_bearer_token_answers_401_and_is_logged(
    client_for, api_client, patient, document, header
):
    link = _link(client_for(patient), document)
    response = api_client.get(link, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _denied(document) == [(None, "invalid bearer token")]
    assert _downloads(document) == []


def test_the_issuees_expired_access_token_answers_401(client_for, patient, document):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = client_for(patient)
        traveller.shift(dt.timedelta(hours=1))
        fresh_link = _link(client_for(patient), document)
        response = client.get(fresh_link)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert _denied(document) == [(None, "invalid bearer token")]


def test_another_authorization_scheme_is_no_bearer_token(client_for, api_client, patient, document):
    link = _link(client_for(patient), document)
    response = api_client.get(link, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


def test_a_foreign_token_is_refused_even_on_an_expired_link(client_for, patient, doctor, document):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        link = _link(client_for(patient), document)
        traveller.shift(dt.timedelta(seconds=61))
        _refused_as_not_yours(client_for(doctor).get(link))
    assert _denied(document) == [(doctor.pk, "link issued to another user")]


def test_an_expired_link_stays_refused_with_the_issuees_token(client_for, patient, document):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        link = _link(client_for(patient), document)
        traveller.shift(dt.timedelta(seconds=61))
        response = client_for(patient).get(link)
    assert response.status_code == 403
    assert response.json()["code"] == "link_expired"
    assert _denied(document) == [(patient.pk, "expired link")]


def test_a_tampered_link_stays_refused_with_the_issuees_token(client_for, patient, document):
    client = client_for(patient)
    link = _link(client, document)
    token = parse_qs(urlsplit(link).query)["token"][0]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(f"{detail_url(document.pk)}file/", {"token": forged})
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_link"


def test_each_listed_documents_link_opens_that_document_for_that_user(client_for, patient):
    """The list's links are built from one reversed URL (`documents.links.file_links`): each
    names its own document, carries a token minted for the caller and that document only, and
    opens it."""
    from django.urls import reverse

    from documents.links import LinkInvalid, read_file_token
    from documents.tests.conftest import DOCUMENTS_URL
    from documents.tests.factories import MedicalDocumentFactory

    documents = MedicalDocumentFactory.create_batch(3, patient=patient)
    rows = client_for(patient).get(DOCUMENTS_URL).json()
    assert {row["id"] for row in rows} == {str(d.pk) for d in documents}
    from rest_framework.test import APIClient

    anonymous = APIClient()
    for row, other in zip(rows, rows[1:] + rows[:1], strict=True):
        parts = urlsplit(row["file"])
        assert (parts.scheme, parts.netloc) == ("http", "testserver")
        assert parts.path == reverse("documents:file", kwargs={"document_id": row["id"]})
        (token,) = parse_qs(parts.query)["token"]
        claims = read_file_token(token, document_id=uuid.UUID(row["id"]))
        assert (claims.user_id, claims.expired) == (patient.pk, False)
        with pytest.raises(LinkInvalid):
            read_file_token(token, document_id=uuid.UUID(other["id"]))
        assert anonymous.get(relative(row["file"])).status_code in (200, 302)
