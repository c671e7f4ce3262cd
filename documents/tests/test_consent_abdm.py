"""ABDM-shaped consent: purpose codes or free text, hi_types, date range, narrowing at grant,
the signed artefact (and its revocation), and the patient's list of consents given."""

import datetime as dt

import jwt
import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.signing import jws_payload
from documents.tests.conftest import DOCUMENTS_URL, action_url

pytestmark = pytest.mark.django_db

REQUEST_URL = f"{DOCUMENTS_URL}consent/request/"
MY_CONSENTS_URL = "/api/users/me/consents/"


def artefact_url(consent_id):
    return f"{DOCUMENTS_URL}consent/{consent_id}/artefact/"


def _request(client, document, **extra):
    body = {"document": str(document.pk), "purpose": "CAREMGT", **extra}
    return client.post(REQUEST_URL, body, format="json")


def test_a_purpose_code_is_kept_as_the_code(client_for, doctor, document):
    body = _request(client_for(doctor), document).json()
    assert (body["purpose"], body["purpose_code"], body["purpose_text"]) == (
        "CAREMGT",
        "CAREMGT",
        "",
    )


def test_free_text_stays_accepted_as_purpose_text(client_for, doctor, document):
    body = _request(client_for(doctor), document, purpose="Second opinion").json()
    assert (body["purpose"], body["purpose_code"], body["purpose_text"]) == (
        "Second opinion",
        "",
        "Second opinion",
    )


def test_hi_types_date_range_and_data_erase_at_are_kept(client_for, doctor, document):
    erase = (timezone.now() + dt.timedelta(days=30)).isoformat()
    body = _request(
        client_for(doctor),
        document,
        hi_types=["DiagnosticReport", "Prescription"],
        date_range={"from": "2026-01-01", "to": "2026-06-30"},
        data_erase_at=erase,
    ).json()
    assert body["hi_types"] == ["DiagnosticReport", "Prescription"]
    assert body["date_range"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert body["data_erase_at"] is not None
    assert body["artefact"] is None


@pytest.mark.parametrize(
    "extra",
    [
        {"hi_types": ["XRay"]},
        {"date_range": {"from": "2026-06-01", "to": "2026-01-01"}},
        {"date_range": {"from": "2026-06-01"}},
    ],
)
def test_bad_abdm_fields_are_400(client_for, doctor, document, extra):
    assert _request(client_for(doctor), document, **extra).status_code == 400


def _granted(client_for, doctor, patient, document, **grant):
    consent = _request(client_for(doctor), document, hi_types=["DiagnosticReport", "Prescription"])
    consent_id = consent.json()["id"]
    response = client_for(patient).patch(
        action_url(consent_id), {"action": "grant", **grant}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_patient_may_narrow_hi_types_when_granting(client_for, doctor, patient, document):
    body = _granted(client_for, doctor, patient, document, hi_types=["Prescription"])
    assert body["hi_types"] == ["Prescription"]


def test_a_grant_cannot_widen_hi_types(client_for, doctor, patient, document):
    consent_id = _request(client_for(doctor), document, hi_types=["Prescription"]).json()["id"]
    response = client_for(patient).patch(
        action_url(consent_id),
        {"action": "grant", "hi_types": ["Prescription", "DiagnosticReport"]},
        format="json",
    )
    assert response.status_code == 400
    assert "hi_types" in response.json()


def test_grant_issues_a_signed_artefact_for_patient_and_doctor(
    client_for, doctor, patient, document
):
    granted = _granted(client_for, doctor, patient, document)
    assert granted["artefact"].endswith(artefact_url(granted["id"]))
    for user in (patient, doctor):
        body = client_for(user).get(artefact_url(granted["id"])).json()
        assert body["artefact"]["status"] == "GRANTED"
        assert body["artefact"]["purpose"]["code"] == "CAREMGT"
        assert body["artefact"]["hiTypes"] == ["DiagnosticReport", "Prescription"]
        assert jws_payload(body["jws"]) == body["artefact"]
        assert jwt.get_unverified_header(body["jws"])["alg"] == "EdDSA"


def test_a_tampered_artefact_jws_does_not_verify(client_for, doctor, patient, document):
    granted = _granted(client_for, doctor, patient, document)
    token = client_for(patient).get(artefact_url(granted["id"])).json()["jws"]
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload[:-4]}AAAA.{signature}"
    with pytest.raises(jwt.InvalidTokenError):
        jws_payload(forged)


def test_revocation_is_recorded_and_the_artefact_shows_it(client_for, doctor, patient, document):
    granted = _granted(client_for, doctor, patient, document)
    client_for(patient).patch(action_url(granted["id"]), {"action": "revoke"}, format="json")
    body = client_for(doctor).get(artefact_url(granted["id"])).json()
    assert body["artefact"]["status"] == "REVOKED"
    assert body["artefact"]["revokedAt"] is not None
    actions = list(
        AuditEvent.objects.filter(patient=patient, category="consent").values_list(
            "action", flat=True
        )
    )
    assert actions == ["requested", "granted", "revoked"]


def test_no_artefact_before_a_grant_or_for_strangers(
    client_for, doctor, patient, other_patient, document
):
    consent_id = _request(client_for(doctor), document).json()["id"]
    assert client_for(patient).get(artefact_url(consent_id)).status_code == 404
    client_for(patient).patch(action_url(consent_id), {"action": "grant"}, format="json")
    assert client_for(other_patient).get(artefact_url(consent_id)).status_code == 404


def test_my_consents_lists_every_consent_i_gave_with_its_artefact(
    client_for, doctor, patient, other_patient, document
):
    granted = _granted(client_for, doctor, patient, document)
    _request(client_for(doctor), document, purpose="PUBHLTH")  # pending: not given
    response = client_for(patient).get(MY_CONSENTS_URL)
    assert response.status_code == 200
    (item,) = response.json()
    assert item["id"] == granted["id"]
    assert jws_payload(item["signed_artefact"]["jws"])["consentId"] == granted["id"]
    assert client_for(other_patient).get(MY_CONSENTS_URL).json() == []
    assert client_for(doctor).get(MY_CONSENTS_URL).status_code == 403
