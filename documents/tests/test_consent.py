"""Consent endpoints: request (doctor), mine (patient), action (owner), doctor's list."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from documents.models import DocumentConsent
from documents.tests.conftest import DOCUMENTS_URL, action_url, detail_url
from documents.tests.factories import DocumentConsentFactory, MedicalDocumentFactory

pytestmark = pytest.mark.django_db

REQUEST_URL = f"{DOCUMENTS_URL}consent/request/"
MINE_URL = f"{DOCUMENTS_URL}consent/mine/"
DOCTOR_URL = f"{DOCUMENTS_URL}consent/doctor/"
CONSENT_FIELDS = {
    "id",
    "document",
    "doctor",
    "doctor_name",
    "status",
    "purpose",
    "expires_at",
    "actioned_at",
    "created_at",
    # Added by the ABDM-shaped consent (never a changed type, only new fields).
    "purpose_code",
    "purpose_text",
    "hi_types",
    "date_range",
    "data_erase_at",
    "revoked_at",
    "artefact",
}


def _request(client, document, **extra):
    body = {"document": str(document.pk), "purpose": "Reviewing prior lab results", **extra}
    return client.post(REQUEST_URL, body, format="json")


# --- request ------------------------------------------------------------------------------------


def test_doctor_requests_consent(client_for, doctor, doctor_profile, document):
    ends = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    response = _request(client_for(doctor), document, expires_at=ends.isoformat())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == CONSENT_FIELDS
    assert body["document"] == str(document.pk)
    assert body["doctor"] == doctor_profile.pk
    assert isinstance(body["doctor"], int)
    assert body["doctor_name"] == "Dr. Suresh Yadav"
    assert body["status"] == "pending"
    assert body["purpose"] == "Reviewing prior lab results"
    assert body["actioned_at"] is None
    assert dt.datetime.fromisoformat(body["expires_at"]) == ends


def test_the_request_does_not_reveal_the_document(client_for, doctor, document):
    body = _request(client_for(doctor), document).json()
    assert "file" not in body
    assert "title" not in body
    assert "document_title" not in body


def test_one_open_request_per_doctor_and_document(client_for, doctor, document):
    client = client_for(doctor)
    assert _request(client, document).status_code == 201
    response = _request(client, document)
    assert response.status_code == 409
    assert response.json() == {
        "message": "A consent request for this document is already pending.",
        "code": "consent_request_pending",
    }
    assert DocumentConsent.objects.count() == 1


def test_a_new_request_is_allowed_after_a_rejection(client_for, doctor, document, make_consent):
    make_consent(document, status="rejected")
    assert _request(client_for(doctor), document).status_code == 201


def test_a_request_while_a_consent_is_active_answers_409(client_for, doctor, granted_consent):
    response = _request(client_for(doctor), granted_consent.document)
    assert response.status_code == 409
    assert response.json()["code"] == "consent_already_granted"


def test_the_database_holds_one_pending_request(doctor_profile, document):
    from django.db import IntegrityError, transaction

    DocumentConsentFactory(document=document, doctor=doctor_profile)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentConsentFactory(document=document, doctor=doctor_profile)


@pytest.mark.parametrize(
    "make_document",
    [
        pytest.param(lambda p: uuid.uuid4(), id="unknown"),
        pytest.param(lambda p: MedicalDocumentFactory(patient=p, is_deleted=True).pk, id="deleted"),
    ],
)
def test_unknown_or_deleted_documents_answer_404(
    client_for, doctor, patient, appointment, make_document
):
    body = {"document": str(make_document(patient)), "purpose": "Curious"}
    response = client_for(doctor).post(REQUEST_URL, body, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": "Document not found.", "code": "document_not_found"}
    assert not DocumentConsent.objects.exists()


def test_any_doctor_may_request_a_document_whose_id_they_know(
    client_for, patient, other_doctor, other_doctor_profile, document
):
    """No appointment, another clinic: the patient gave the id (a referral, a walk-in)."""
    assert not document.patient.appointments.filter(doctor=other_doctor_profile).exists()
    response = _request(client_for(other_doctor), document)
    assert response.status_code == 201, response.json()
    assert response.json()["doctor"] == other_doctor_profile.pk
    [mine] = client_for(patient).get(MINE_URL).json()
    assert (mine["id"], mine["doctor"], mine["status"]) == (
        response.json()["id"],
        other_doctor_profile.pk,
        "pending",
    )


def test_a_document_attached_to_no_appointment_may_be_requested(client_for, doctor, other_document):
    assert other_document.appointment is None
    assert _request(client_for(doctor), other_document).status_code == 201


def test_a_stranger_doctor_learns_nothing_of_the_document_before_a_grant(
    client_for, other_doctor, document
):
    client = client_for(other_doctor)
    body = _request(client, document).json()
    assert set(body) == CONSENT_FIELDS
    assert body["document"] == str(document.pk)
    for listed in client.get(DOCTOR_URL).json():
        assert set(listed) == CONSENT_FIELDS
    assert client.get(detail_url(document.pk)).status_code == 404
    assert client.get(DOCUMENTS_URL).json() == []


def test_a_doctor_still_onboarding_cannot_request(client_for, doctor, document):
    doctor.is_complete_onboarding = False
    doctor.save()
    response = _request(client_for(doctor), document)
    assert response.status_code == 403
    assert response.json()["onboarding_required"] is True
    assert not DocumentConsent.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"document": "nope", "purpose": "x"}, {"document": ["Must be a valid UUID."]}),
        ({"purpose": "x"}, {"document": ["This field is required."]}),
        ({"document": "{doc}"}, {"purpose": ["This field is required."]}),
        ({"document": "{doc}", "purpose": ""}, {"purpose": ["This field may not be blank."]}),
        (
            {"document": "{doc}", "purpose": "p" * 501},
            {"purpose": ["Ensure this field has no more than 500 characters."]},
        ),
        ({"document": "{doc}", "purpose": "x", "expires_at": "soon"}, None),
        (
            {"document": "{doc}", "purpose": "x", "expires_at": "2020-01-01T00:00:00Z"},
            {"expires_at": ["Must be in the future."]},
        ),
    ],
)
def test_bad_requests_answer_400(client_for, doctor, document, body, errors):
    body = {k: v.replace("{doc}", str(document.pk)) for k, v in body.items()}
    response = client_for(doctor).post(REQUEST_URL, body, format="json")
    assert response.status_code == 400
    if errors is not None:
        assert response.json() == errors
    assert not DocumentConsent.objects.exists()


@pytest.mark.parametrize("persona", ["patient", "receptionist", "lab_member", "clinic_owner"])
def test_only_doctors_request(request, client_for, persona, document):
    user = request.getfixturevalue(persona)
    assert _request(client_for(user), document).status_code == 403


def test_anonymous_cannot_request(api_client, document):
    assert _request(api_client, document).status_code == 401


# --- patient's list -----------------------------------------------------------------------------


def test_patient_lists_requests_on_own_documents(
    client_for, patient, document, make_consent, other_document, other_doctor_profile
):
    pending = make_consent(document, status="pending")
    make_consent(other_document, doctor=other_doctor_profile, status="pending")
    body = client_for(patient).get(MINE_URL).json()
    assert [c["id"] for c in body] == [str(pending.pk)]
    assert body[0]["document_title"] == "CBC report"
    assert set(body[0]) == {*CONSENT_FIELDS, "document_title"}


def test_status_filter_including_expired(client_for, patient, document, make_consent):
    now = timezone.now()
    consents = {
        "pending": make_consent(document, status="pending"),
        "granted": make_consent(document, status="granted", expires_at=now + dt.timedelta(days=1)),
        "expired": make_consent(document, status="granted", expires_at=now - dt.timedelta(days=1)),
        "rejected": make_consent(document, status="rejected"),
        "revoked": make_consent(document, status="revoked"),
    }
    client = client_for(patient)
    for status, consent in consents.items():
        body = client.get(MINE_URL, {"status": status}).json()
        assert [(c["id"], c["status"]) for c in body] == [(str(consent.pk), status)]
    assert client.get(MINE_URL, {"status": "bogus"}).status_code == 400
    assert len(client.get(MINE_URL).json()) == 5


def test_a_granted_consent_reads_expired_once_past_expires_at(
    client_for, patient, document, make_consent
):
    ends = timezone.now() + dt.timedelta(hours=2)
    consent = make_consent(document, status="granted", expires_at=ends)
    client = client_for(patient)
    assert client.get(MINE_URL).json()[0]["status"] == "granted"
    with time_machine.travel(ends + dt.timedelta(seconds=1)):
        client = client_for(patient)
        assert client.get(MINE_URL).json()[0]["status"] == "expired"
        assert client.get(MINE_URL, {"status": "expired"}).json()[0]["id"] == str(consent.pk)


def test_requests_on_deleted_documents_disappear(client_for, patient, document, make_consent):
    make_consent(document, status="pending")
    client_for(patient).delete(detail_url(document.pk))
    assert client_for(patient).get(MINE_URL).json() == []


def test_consent_list_query_count_is_constant(
    client_for, patient, doctor_profile, make_consent, django_assert_max_num_queries
):
    make_consent(MedicalDocumentFactory(patient=patient), status="pending")
    client = client_for(patient)
    with django_assert_max_num_queries(3) as few:
        assert len(client.get(MINE_URL).json()) == 1
    for _ in range(6):
        make_consent(MedicalDocumentFactory(patient=patient), status="pending")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(MINE_URL).json()) == 7


@pytest.mark.parametrize("persona", ["doctor", "receptionist", "clinic_owner", "lab_member"])
def test_only_patients_read_their_requests(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(MINE_URL).status_code == 403


# --- doctor's list ------------------------------------------------------------------------------


def test_doctor_lists_own_requests(
    client_for, doctor, document, make_consent, other_document, other_doctor_profile
):
    mine = make_consent(document, status="pending")
    make_consent(other_document, doctor=other_doctor_profile, status="pending")
    body = client_for(doctor).get(DOCTOR_URL).json()
    assert [c["id"] for c in body] == [str(mine.pk)]
    assert set(body[0]) == CONSENT_FIELDS


def test_doctor_list_filters_by_status(client_for, doctor, document, make_consent):
    make_consent(document, status="pending")
    granted = make_consent(document, status="granted")
    body = client_for(doctor).get(DOCTOR_URL, {"status": "granted"}).json()
    assert [c["id"] for c in body] == [str(granted.pk)]


def test_doctor_consent_list_query_count_is_constant(
    client_for, doctor, patient, make_consent, django_assert_max_num_queries
):
    make_consent(MedicalDocumentFactory(patient=patient), status="pending")
    client = client_for(doctor)
    with django_assert_max_num_queries(3) as few:
        assert len(client.get(DOCTOR_URL).json()) == 1
    for _ in range(6):
        make_consent(MedicalDocumentFactory(patient=patient), status="pending")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(DOCTOR_URL).json()) == 7


@pytest.mark.parametrize("persona", ["patient", "receptionist", "clinic_owner", "lab_member"])
def test_only_doctors_read_the_doctor_list(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(DOCTOR_URL).status_code == 403


# --- action -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        ("pending", "grant", "granted"),
        ("pending", "granted", "granted"),
        ("pending", "reject", "rejected"),
        ("pending", "rejected", "rejected"),
        ("granted", "revoke", "revoked"),
        ("granted", "revoked", "revoked"),
    ],
)
def test_allowed_transitions(client_for, patient, document, make_consent, start, action, end):
    consent = make_consent(document, status=start)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        moment = timezone.now()
        response = client_for(patient).patch(action_url(consent.pk), {"action": action})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == end
    consent.refresh_from_db()
    assert consent.status == end
    assert consent.actioned_at == moment
    assert dt.datetime.fromisoformat(response.json()["actioned_at"]) == moment


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        ("pending", "revoke", ["grant", "reject"]),
        ("granted", "grant", ["revoke"]),
        ("granted", "reject", ["revoke"]),
        ("rejected", "grant", []),
        ("rejected", "revoke", []),
        ("revoked", "grant", []),
        ("revoked", "revoke", []),
    ],
)
def test_other_transitions_answer_400_with_allowed_actions(
    client_for, patient, document, make_consent, start, action, allowed
):
    consent = make_consent(document, status=start)
    response = client_for(patient).patch(action_url(consent.pk), {"action": action})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["allowed_actions"] == allowed
    consent.refresh_from_db()
    assert consent.status == start


@pytest.mark.parametrize("body", [{"action": "approve"}, {"action": ""}, {}, {"action": 1}])
def test_unknown_action_answers_400(client_for, patient, document, make_consent, body):
    consent = make_consent(document, status="pending")
    response = client_for(patient).patch(action_url(consent.pk), body, format="json")
    assert response.status_code == 400
    assert "action" in response.json()


def test_grant_may_set_an_end(client_for, patient, document, make_consent):
    consent = make_consent(document, status="pending")
    ends = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    response = client_for(patient).patch(
        action_url(consent.pk), {"action": "grant", "expires_at": ends.isoformat()}
    )
    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["expires_at"]) == ends


def test_grant_may_shorten_but_not_extend_the_requested_period(
    client_for, patient, document, make_consent
):
    requested = timezone.now() + dt.timedelta(days=5)
    consent = make_consent(document, status="pending", expires_at=requested)
    client = client_for(patient)
    longer = (requested + dt.timedelta(days=1)).isoformat()
    response = client.patch(action_url(consent.pk), {"action": "grant", "expires_at": longer})
    assert response.status_code == 400
    assert response.json() == {
        "expires_at": ["A grant may shorten the requested period, not extend it."]
    }
    shorter = (requested - dt.timedelta(days=3)).replace(microsecond=0)
    response = client.patch(
        action_url(consent.pk), {"action": "grant", "expires_at": shorter.isoformat()}
    )
    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["expires_at"]) == shorter


def test_grant_keeps_the_requested_end_when_none_given(client_for, patient, document, make_consent):
    requested = timezone.now() + dt.timedelta(days=5)
    consent = make_consent(document, status="pending", expires_at=requested)
    response = client_for(patient).patch(action_url(consent.pk), {"action": "grant"})
    assert dt.datetime.fromisoformat(response.json()["expires_at"]) == requested


def test_grant_with_a_past_end_answers_400(client_for, patient, document, make_consent):
    consent = make_consent(document, status="pending")
    response = client_for(patient).patch(
        action_url(consent.pk), {"action": "grant", "expires_at": "2020-01-01T00:00:00Z"}
    )
    assert response.status_code == 400
    assert response.json() == {"expires_at": ["Must be in the future."]}


def test_expires_at_is_only_for_grants(client_for, patient, document, make_consent):
    consent = make_consent(document, status="pending")
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = client_for(patient).patch(
        action_url(consent.pk), {"action": "reject", "expires_at": future}
    )
    assert response.status_code == 400
    assert response.json() == {"expires_at": ["Only a grant may set expires_at."]}


def test_a_request_past_its_requested_end_can_only_be_rejected(
    client_for, patient, document, make_consent
):
    ends = timezone.now() + dt.timedelta(hours=1)
    consent = make_consent(document, status="pending", expires_at=ends)
    with time_machine.travel(ends + dt.timedelta(minutes=1)):
        client = client_for(patient)
        response = client.patch(action_url(consent.pk), {"action": "grant"})
        assert response.status_code == 400
        assert response.json()["code"] == "consent_request_expired"
        assert response.json()["allowed_actions"] == ["reject"]
        assert client.patch(action_url(consent.pk), {"action": "reject"}).status_code == 200


def test_an_expired_grant_may_still_be_revoked(client_for, patient, document, make_consent):
    consent = make_consent(
        document, status="granted", expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client_for(patient).patch(action_url(consent.pk), {"action": "revoke"})
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_only_the_owner_acts(client_for, other_patient, doctor, document, make_consent):
    consent = make_consent(document, status="pending")
    assert (
        client_for(other_patient).patch(action_url(consent.pk), {"action": "grant"}).status_code
        == 404
    )
    assert client_for(doctor).patch(action_url(consent.pk), {"action": "grant"}).status_code == 403
    consent.refresh_from_db()
    assert consent.status == "pending"


def test_unknown_and_malformed_consent_ids(client_for, patient, api_client):
    client = client_for(patient)
    assert client.patch(action_url(uuid.uuid4()), {"action": "grant"}).status_code == 404
    assert client.patch(action_url("123"), {"action": "grant"}).status_code == 404
    assert api_client.patch(action_url(uuid.uuid4()), {"action": "grant"}).status_code == 401


def test_acting_on_a_request_of_a_deleted_document_answers_404(
    client_for, patient, document, make_consent
):
    consent = make_consent(document, status="pending")
    client_for(patient).delete(detail_url(document.pk))
    assert client_for(patient).patch(action_url(consent.pk), {"action": "grant"}).status_code == 404
