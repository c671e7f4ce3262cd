"""The object rules alone: who may view, delete, upload for, and ask consent for a document."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from documents import policies
from documents.tests.factories import MedicalDocumentFactory

pytestmark = pytest.mark.django_db


def test_owner_patient_can_view_own_document(patient, document):
    assert policies.can_view_document(user=patient, document=document)


def test_other_patient_cannot_view(other_patient, document):
    assert not policies.can_view_document(user=other_patient, document=document)


def test_deleted_document_is_invisible_even_to_owner(patient, document):
    document.is_deleted = True
    assert not policies.can_view_document(user=patient, document=document)


def test_inactive_owner_cannot_view(patient, document):
    patient.is_active = False
    assert not policies.can_view_document(user=patient, document=document)


@pytest.mark.parametrize("status", ["pending", "rejected", "revoked"])
def test_doctor_without_granted_consent_cannot_view(doctor, document, make_consent, status):
    make_consent(document, status=status)
    assert not policies.can_view_document(user=doctor, document=document)


def test_doctor_with_no_consent_at_all_cannot_view(doctor, document):
    assert not policies.can_view_document(user=doctor, document=document)


def test_doctor_with_granted_consent_can_view(doctor, document, make_consent):
    make_consent(document, status="granted")
    assert policies.can_view_document(user=doctor, document=document)


def test_granted_consent_stops_at_expires_at(doctor, document, make_consent):
    ends = timezone.now() + dt.timedelta(hours=1)
    make_consent(document, status="granted", expires_at=ends)
    assert policies.can_view_document(user=doctor, document=document)
    with time_machine.travel(ends, tick=False):
        assert not policies.can_view_document(user=doctor, document=document)


def test_consent_to_one_doctor_does_not_open_to_another(other_doctor, document, make_consent):
    make_consent(document, status="granted")
    assert not policies.can_view_document(user=other_doctor, document=document)


def test_consent_on_one_document_does_not_open_another(doctor, patient, document, make_consent):
    make_consent(document, status="granted")
    sibling = MedicalDocumentFactory(patient=patient)
    assert not policies.can_view_document(user=doctor, document=sibling)


def test_staff_and_owners_never_view(receptionist, lab_member, clinic_owner, superadmin, document):
    for user in (receptionist, lab_member, clinic_owner, superadmin):
        assert not policies.can_view_document(user=user, document=document)


def test_anonymous_cannot_view(document):
    from django.contrib.auth.models import AnonymousUser

    assert not policies.can_view_document(user=AnonymousUser(), document=document)


def test_only_owner_can_delete(patient, other_patient, doctor, document, make_consent):
    make_consent(document, status="granted")
    assert policies.can_delete_document(user=patient, document=document)
    assert not policies.can_delete_document(user=other_patient, document=document)
    assert not policies.can_delete_document(user=doctor, document=document)


def test_only_owner_reads_the_access_log_even_after_delete(patient, other_patient, document):
    document.is_deleted = True
    assert policies.can_read_access_log(user=patient, document=document)
    assert not policies.can_read_access_log(user=other_patient, document=document)


def test_clinic_staff_upload_only_for_patients_of_their_clinic(
    patient, other_patient, doctor, lab_member, receptionist, other_doctor, appointment
):
    assert policies.can_upload_for_patient(user=doctor, patient=patient)
    assert policies.can_upload_for_patient(user=lab_member, patient=patient)
    assert not policies.can_upload_for_patient(user=receptionist, patient=patient)
    assert not policies.can_upload_for_patient(user=other_doctor, patient=patient)
    assert not policies.can_upload_for_patient(user=doctor, patient=other_patient)


def test_cancelled_appointment_is_no_care_relationship(patient, doctor, document):
    document.appointment.status = "cancelled"
    document.appointment.save()
    assert not policies.can_upload_for_patient(user=doctor, patient=patient)


def test_staff_who_left_the_clinic_can_no_longer_upload(patient, lab_member, appointment):
    lab_member.clinic_memberships.update(status="inactive")
    assert not policies.can_upload_for_patient(user=lab_member, patient=patient)


def test_any_doctor_may_request_consent_on_any_live_document(
    doctor_profile, other_doctor_profile, document, other_document
):
    """No care relationship needed (the spec has none): the patient decides."""
    assert policies.can_request_consent(doctor=doctor_profile, document=document)
    assert policies.can_request_consent(doctor=other_doctor_profile, document=document)
    assert policies.can_request_consent(doctor=doctor_profile, document=other_document)


def test_a_cancelled_appointment_does_not_stop_a_consent_request(doctor_profile, document):
    document.appointment.status = "cancelled"
    document.appointment.save()
    assert policies.can_request_consent(doctor=doctor_profile, document=document)


def test_a_deleted_document_cannot_be_requested(doctor_profile, document):
    document.is_deleted = True
    assert not policies.can_request_consent(doctor=doctor_profile, document=document)


def test_appointment_attach_rules(patient, other_patient, lab_member, other_doctor, appointment):
    assert policies.can_attach_appointment(user=patient, patient=patient, appointment=appointment)
    assert not policies.can_attach_appointment(
        user=other_patient, patient=other_patient, appointment=appointment
    )
    assert policies.can_attach_appointment(
        user=lab_member, patient=patient, appointment=appointment
    )
    assert not policies.can_attach_appointment(
        user=other_doctor, patient=patient, appointment=appointment
    )


def test_the_list_selector_and_the_view_policy_agree(
    patient, other_patient, doctor, other_doctor, receptionist, make_consent, other_doctor_profile
):
    """The list's query and the download's predicate are two spellings of one rule."""
    from documents.selectors import document_list_for

    now = timezone.now()
    docs = [MedicalDocumentFactory(patient=patient) for _ in range(6)]
    make_consent(docs[0], status="granted")
    make_consent(docs[1], status="granted", expires_at=now - dt.timedelta(seconds=1))
    make_consent(docs[2], status="granted", expires_at=now + dt.timedelta(days=1))
    make_consent(docs[3], status="revoked")
    make_consent(docs[4], status="granted", doctor=other_doctor_profile)
    docs[5].is_deleted = True
    docs[5].save()
    make_consent(docs[5], status="granted")
    docs.append(MedicalDocumentFactory(patient=other_patient))
    for user in (patient, other_patient, doctor, other_doctor, receptionist):
        listed = set(document_list_for(user=user, now=now))
        allowed = {d for d in docs if policies.can_view_document(user=user, document=d, now=now)}
        assert listed == allowed, user
    assert set(document_list_for(user=doctor, now=now)) == {docs[0], docs[2]}
