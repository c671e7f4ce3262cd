"""GET /api/documents/consent/requestable/: the documents a doctor may ask consent for.

Scope (choice): documents attached to an appointment with this very doctor whose status is not
`cancelled`, not deleted, whoever uploaded them into the patient's record. A discovery aid only:
a consent request may name any live document id the doctor knows, listed here or not.
Titles only: never `file` nor `description`. Each listed document gets one access-log row
(`list`, detail `requestable`) for its owner to see.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import DocumentAccessLog
from documents.tests.conftest import (
    DOCTOR_APPEND_QUERIES,
    DOCUMENTS_URL,
    action_url,
    detail_url,
    relative,
)
from documents.tests.factories import AppointmentFactory, MedicalDocumentFactory

pytestmark = pytest.mark.django_db

REQUESTABLE_URL = f"{DOCUMENTS_URL}consent/requestable/"
REQUEST_URL = f"{DOCUMENTS_URL}consent/request/"
FIELDS = {
    "id",
    "title",
    "document_type",
    "created_at",
    "appointment",
    "patient",
    "patient_name",
    "consent_status",
}


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [d["id"] for d in response.json()]


def _status_of(client, document) -> str | None:
    body = client.get(REQUESTABLE_URL).json()
    return next(d["consent_status"] for d in body if d["id"] == str(document.pk))


# --- scope and shape -------------------------------------------------------------------


def test_a_document_attached_to_my_appointment_in_its_exact_shape(
    client_for, doctor, patient, appointment, document
):
    response = client_for(doctor).get(REQUESTABLE_URL)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "1"
    [entry] = response.json()
    assert set(entry) == FIELDS
    assert entry == {
        "id": str(document.pk),
        "title": "CBC report",
        "document_type": "lab_report",
        "created_at": entry["created_at"],
        "appointment": appointment.pk,
        "patient": str(patient.pk),
        "patient_name": "Rahul Sharma",
        "consent_status": None,
    }
    assert isinstance(entry["appointment"], int)
    created = dt.datetime.fromisoformat(entry["created_at"].replace("Z", "+00:00"))
    assert created == document.created_at


def test_only_documents_attached_to_my_live_appointments(
    client_for,
    doctor,
    doctor_profile,
    clinic,
    patient,
    other_patient,
    other_doctor_profile,
    other_clinic,
    appointment,
    document,
    other_document,
    lab_member,
):
    mine_by_lab = MedicalDocumentFactory(
        patient=patient, appointment=appointment, uploaded_by=lab_member, uploaded_by_role="lab"
    )
    second_patient_appt = AppointmentFactory(
        patient=other_patient, doctor=doctor_profile, clinic=clinic, status="completed"
    )
    second_patient_doc = MedicalDocumentFactory(
        patient=other_patient, appointment=second_patient_appt
    )
    # Not listed: unattached, another doctor's appointment, deleted, cancelled appointment,
    # another patient's document on another doctor's appointment.
    MedicalDocumentFactory(patient=patient)
    their_appt = AppointmentFactory(
        patient=patient, doctor=other_doctor_profile, clinic=other_clinic
    )
    MedicalDocumentFactory(patient=patient, appointment=their_appt)
    MedicalDocumentFactory(patient=patient, appointment=appointment, is_deleted=True)
    cancelled = AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, status="cancelled"
    )
    MedicalDocumentFactory(patient=patient, appointment=cancelled)
    other_appt = AppointmentFactory(
        patient=other_patient, doctor=other_doctor_profile, clinic=other_clinic
    )
    MedicalDocumentFactory(patient=other_patient, appointment=other_appt)

    listed = _ids(client_for(doctor).get(REQUESTABLE_URL))
    assert sorted(listed) == sorted(str(d.pk) for d in (document, mine_by_lab, second_patient_doc))
    assert str(other_document.pk) not in listed


def test_the_other_doctor_sees_none_of_mine(client_for, other_doctor, document):
    response = client_for(other_doctor).get(REQUESTABLE_URL)
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


def test_newest_first_then_by_id(client_for, doctor, patient, appointment):
    start = timezone.now()
    with time_machine.travel(start - dt.timedelta(days=2), tick=False):
        oldest = MedicalDocumentFactory(patient=patient, appointment=appointment)
    with time_machine.travel(start - dt.timedelta(days=1), tick=False):
        tied = [MedicalDocumentFactory(patient=patient, appointment=appointment) for _ in "ab"]
    newest = MedicalDocumentFactory(patient=patient, appointment=appointment)
    expected = [str(newest.pk), *sorted(str(d.pk) for d in tied), str(oldest.pk)]
    assert _ids(client_for(doctor).get(REQUESTABLE_URL)) == expected
    page = client_for(doctor).get(REQUESTABLE_URL, {"page_size": 2, "page": 2})
    assert _ids(page) == expected[2:]
    assert page["X-Total-Count"] == "4"


def test_filters_by_appointment_and_patient(
    client_for, doctor, doctor_profile, clinic, patient, other_patient, appointment, document
):
    later = AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    on_later = MedicalDocumentFactory(patient=patient, appointment=later)
    theirs_appt = AppointmentFactory(patient=other_patient, doctor=doctor_profile, clinic=clinic)
    theirs = MedicalDocumentFactory(patient=other_patient, appointment=theirs_appt)
    client = client_for(doctor)

    assert _ids(client.get(REQUESTABLE_URL, {"appointment": appointment.pk})) == [str(document.pk)]
    assert _ids(client.get(REQUESTABLE_URL, {"appointment": later.pk})) == [str(on_later.pk)]
    assert sorted(_ids(client.get(REQUESTABLE_URL, {"patient": str(patient.pk)}))) == sorted(
        [str(document.pk), str(on_later.pk)]
    )
    assert _ids(client.get(REQUESTABLE_URL, {"patient": str(other_patient.pk)})) == [str(theirs.pk)]
    both = {"patient": str(other_patient.pk), "appointment": appointment.pk}
    assert _ids(client.get(REQUESTABLE_URL, both)) == []


@pytest.mark.parametrize(
    "params",
    [
        {"appointment": "abc"},
        {"appointment": "0"},
        {"appointment": "1.5"},
        {"appointment": str(2**64)},
        {"patient": "nope"},
        {"patient": "1"},
    ],
)
def test_bad_filters_are_400(client_for, doctor, document, params):
    response = client_for(doctor).get(REQUESTABLE_URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
    assert not DocumentAccessLog.objects.filter(action="list").exists()


def test_never_reveals_file_or_description(client_for, doctor, document):
    body = client_for(doctor).get(REQUESTABLE_URL).json()
    assert "file" not in body[0]
    assert "description" not in body[0]
    assert not DocumentAccessLog.objects.filter(action__in=["file_link", "view"]).exists()
    # Listing grants nothing: the document itself stays closed.
    assert client_for(doctor).get(detail_url(document.pk)).status_code == 404


# --- consent_status --------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "granted", "rejected", "revoked"])
def test_consent_status_is_my_latest_consents_status(
    client_for, doctor, document, make_consent, status
):
    make_consent(document, status=status)
    assert _status_of(client_for(doctor), document) == status


def test_consent_status_is_null_without_a_request_even_if_another_doctor_asked(
    client_for, doctor, document, make_consent, other_doctor_profile
):
    make_consent(document, doctor=other_doctor_profile, status="granted")
    assert _status_of(client_for(doctor), document) is None


def test_the_most_recent_consent_wins(client_for, doctor, document, make_consent):
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=3), tick=False):
        make_consent(document, status="granted")
    with time_machine.travel(now - dt.timedelta(days=2), tick=False):
        make_consent(document, status="revoked")
    with time_machine.travel(now - dt.timedelta(days=1), tick=False):
        make_consent(document, status="rejected")
    assert _status_of(client_for(doctor), document) == "rejected"
    make_consent(document, status="pending")
    assert _status_of(client_for(doctor), document) == "pending"


def test_a_granted_consent_past_expires_at_reads_expired(
    client_for, doctor, document, make_consent
):
    ends = timezone.now() + dt.timedelta(hours=1)
    make_consent(document, status="granted", expires_at=ends)
    with time_machine.travel(ends - dt.timedelta(seconds=1), tick=False):
        assert _status_of(client_for(doctor), document) == "granted"
    with time_machine.travel(ends, tick=False):
        assert _status_of(client_for(doctor), document) == "expired"
    with time_machine.travel(ends + dt.timedelta(days=1), tick=False):
        assert _status_of(client_for(doctor), document) == "expired"


def test_a_pending_request_past_expires_at_stays_pending(
    client_for, doctor, document, make_consent
):
    """As in consent/doctor/: only a grant expires; the stale request can still be rejected."""
    ends = timezone.now() + dt.timedelta(hours=1)
    make_consent(document, status="pending", expires_at=ends)
    with time_machine.travel(ends + dt.timedelta(hours=1), tick=False):
        assert _status_of(client_for(doctor), document) == "pending"


# --- access log ------------------------------------------------------------------------


def test_each_listed_document_is_logged_for_its_patient(
    client_for, doctor, patient, appointment, document
):
    second = MedicalDocumentFactory(patient=patient, appointment=appointment)
    unlisted = MedicalDocumentFactory(patient=patient)
    client_for(doctor).get(REQUESTABLE_URL, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Ward-PC")

    log = client_for(patient).get(f"{DOCUMENTS_URL}access-log/").json()
    assert sorted(e["document"] for e in log) == sorted([str(document.pk), str(second.pk)])
    for entry in log:
        assert entry["action"] == "list"
        assert entry["detail"] == "requestable"
        assert entry["accessed_by"] == {
            "id": str(doctor.pk),
            "name": "Dr. Suresh Yadav",
            "role": "doctor",
        }
        assert entry["ip_address"] == "203.0.113.9"
        assert entry["user_agent"] == "Ward-PC"
    filtered = client_for(patient).get(f"{DOCUMENTS_URL}access-log/", {"action": "list"}).json()
    assert len(filtered) == 2
    assert not DocumentAccessLog.objects.filter(document=unlisted).exists()


def test_only_the_page_returned_is_logged(client_for, doctor, patient, appointment):
    documents = [MedicalDocumentFactory(patient=patient, appointment=appointment) for _ in "abc"]
    listed = _ids(client_for(doctor).get(REQUESTABLE_URL, {"page_size": 1}))
    logged = DocumentAccessLog.objects.filter(action="list").values_list("document_id", flat=True)
    assert [str(d) for d in logged] == listed
    assert len(documents) == 3


def test_the_other_patient_does_not_see_my_documents_listing(
    client_for, doctor, other_patient, document
):
    client_for(doctor).get(REQUESTABLE_URL)
    assert client_for(other_patient).get(f"{DOCUMENTS_URL}access-log/").json() == []


# --- roles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["patient", "clinic_owner", "lab_member", "receptionist", "superadmin"]
)
def test_other_roles_are_403(request, client_for, document, persona):
    response = client_for(request.getfixturevalue(persona)).get(REQUESTABLE_URL)
    assert response.status_code == 403
    assert response.json()["message"] == "Only doctors can do this."
    assert not DocumentAccessLog.objects.exists()


def test_anonymous_is_401(api_client, document):
    assert api_client.get(REQUESTABLE_URL).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    assert api_client.get(REQUESTABLE_URL).status_code == 401
    assert not DocumentAccessLog.objects.exists()


# --- query count -----------------------------------------------------------------------


def _queries_for(client, django_assert_max_num_queries) -> tuple[int, int]:
    """(total queries, INSERTs into the access log) of one listing."""
    with (
        django_assert_max_num_queries(4 + DOCTOR_APPEND_QUERIES),
        CaptureQueriesContext(connection) as ctx,
    ):
        response = client.get(REQUESTABLE_URL)
    assert response.status_code == 200
    inserts = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    return len(ctx.captured_queries), len(inserts)


def test_query_count_does_not_grow_with_documents(
    client_for,
    doctor,
    doctor_profile,
    clinic,
    patient,
    other_patient,
    appointment,
    make_consent,
    other_doctor_profile,
    django_assert_max_num_queries,
):
    client = client_for(doctor)
    for _ in range(2):
        make_consent(MedicalDocumentFactory(patient=patient, appointment=appointment))
    client.get(REQUESTABLE_URL)  # the doctor's profile id is cached from now on (both counts)
    small = _queries_for(client, django_assert_max_num_queries)

    theirs = AppointmentFactory(patient=other_patient, doctor=doctor_profile, clinic=clinic)
    for index in range(6):
        document = MedicalDocumentFactory(patient=other_patient, appointment=theirs)
        make_consent(document, status=["pending", "revoked", "granted"][index % 3])
        make_consent(document, doctor=other_doctor_profile)
    large = _queries_for(client, django_assert_max_num_queries)

    assert len(client.get(REQUESTABLE_URL).json()) == 8
    assert small == large
    assert small[1] == 1


# --- end to end ------------------------------------------------------------------------


def test_list_request_grant_read(client_for, api_client, doctor, patient, document):
    doctor_client, patient_client = client_for(doctor), client_for(patient)

    # The doctor learns the id without its contents...
    [entry] = doctor_client.get(REQUESTABLE_URL).json()
    assert entry["consent_status"] is None
    assert doctor_client.get(detail_url(entry["id"])).status_code == 404

    # ...asks for it...
    body = {"document": entry["id"], "purpose": "Reviewing prior lab results"}
    response = doctor_client.post(REQUEST_URL, body, format="json")
    assert response.status_code == 201, response.json()
    consent_id = response.json()["id"]
    assert doctor_client.get(REQUESTABLE_URL).json()[0]["consent_status"] == "pending"

    # ...the patient sees who saw the title, and who asks...
    actions = [
        (e["action"], e["detail"])
        for e in patient_client.get(f"{DOCUMENTS_URL}access-log/").json()
        if e["accessed_by"] and e["accessed_by"]["id"] == str(doctor.pk)
    ]
    assert ("list", "requestable") in actions
    [mine] = patient_client.get(f"{DOCUMENTS_URL}consent/mine/").json()
    assert (mine["id"], mine["document_title"], mine["status"]) == (
        consent_id,
        "CBC report",
        "pending",
    )

    # ...grants, and the doctor reads the document and its file.
    response = patient_client.patch(action_url(consent_id), {"action": "grant"})
    assert response.status_code == 200
    assert doctor_client.get(REQUESTABLE_URL).json()[0]["consent_status"] == "granted"
    detail = doctor_client.get(detail_url(entry["id"]))
    assert detail.status_code == 200
    assert detail.json()["id"] == entry["id"]
    assert detail.json()["description"] == "CBC"
    assert api_client.get(relative(detail.json()["file"])).status_code == 200


def test_every_listed_document_can_be_requested(
    client_for, doctor, doctor_profile, clinic, patient, other_patient, appointment, document
):
    completed = AppointmentFactory(
        patient=other_patient, doctor=doctor_profile, clinic=clinic, status="completed"
    )
    MedicalDocumentFactory(patient=other_patient, appointment=completed)
    client = client_for(doctor)
    listed = _ids(client.get(REQUESTABLE_URL))
    assert len(listed) == 2
    for document_id in listed:
        body = {"document": document_id, "purpose": "Follow-up"}
        assert client.post(REQUEST_URL, body, format="json").status_code == 201
    assert {d["consent_status"] for d in client.get(REQUESTABLE_URL).json()} == {"pending"}
