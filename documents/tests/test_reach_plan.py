"""On PostgreSQL, after ANALYZE, a doctor's document list reads only the documents it reaches
(`documents.policies.doctor_reach_q`): by key, never walking the whole documents table. The
old `EXISTS(consent) OR profile IN (...)` filtered every document of every patient (at the
bench's 10x data, 101 ms of database CPU per request)."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import MedicalDocument
from documents.rows import DocumentRows
from documents.selectors import document_list_for
from documents.tests.factories import DocumentConsentFactory
from users.tests.factories import PatientFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan_nodes(sql: str, params: Any) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    root = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]

    def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(found for child in node.get("Plans", []) for found in walk(child))]

    return walk(root)


def _reports(patients: list[Any], *, each: int) -> list[MedicalDocument]:
    """`each` lab reports of every patient, in one INSERT."""
    return MedicalDocument.objects.bulk_create(
        MedicalDocument(
            patient=patient,
            patient_profile_id=patient.pk,
            uploaded_by=patient,
            uploaded_by_role="patient",
            title=f"Report {index}",
            document_type="lab_report",
            file=f"documents/bench-{index}.pdf",
            content_type="application/pdf",
            size_bytes=64,
        )
        for index, patient in enumerate(patients * each)
    )


def test_the_doctors_document_list_reads_the_reached_documents_by_key(doctor_profile, doctor):
    patients = PatientFactory.create_batch(40)
    documents = _reports(patients, each=300)
    for document in documents[:5]:
        DocumentConsentFactory(
            document=document, doctor=doctor_profile, status="granted", actioned_at=timezone.now()
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    listed = document_list_for(user=doctor).order_by("-created_at", "id")
    with CaptureQueriesContext(connection) as counted:
        assert listed.count() == 5
    page = listed[:20].query.sql_with_params()
    # The list's own page (documents.rows, the break-glass flag included) and a patient's.
    rows_page = DocumentRows(listed, doctor_user=doctor)._values()[:20].query.sql_with_params()
    own = document_list_for(user=patients[0])
    patient_page = DocumentRows(own)._values()[:20].query.sql_with_params()
    statements = (page, rows_page, patient_page, (counted.captured_queries[-1]["sql"], None))
    for sql, params in statements:
        on_documents = [
            node
            for node in _plan_nodes(sql, params)
            if node.get("Relation Name") == "documents_medicaldocument"
        ]
        assert on_documents
        for node in on_documents:
            assert node["Node Type"] != "Seq Scan", (sql, node)
            assert "SubPlan" not in node.get("Filter", ""), node  # the old per-row EXISTS


def test_the_reach_stays_by_key_when_another_doctor_holds_most_break_glass_rows(
    doctor_profile, doctor
):
    """Skewed break-glass data (an emergency doctor holding 2,000 accesses, open and expired,
    to 400 patients with 30 documents each; this doctor one open access, to one of them):
    planned for the average doctor (`doctor__user=`), this doctor's reach was estimated at
    every document and the page walked the documents table; by the doctor's id it is read by
    key."""
    from datetime import timedelta

    from doctors.tests.factories import DoctorProfileFactory
    from documents.models import EmergencyAccess

    patients = PatientFactory.create_batch(400)
    _reports(patients, each=30)
    now = timezone.now()
    emergency_doctor = DoctorProfileFactory()

    def access(doctor: Any, patient: Any, opened: Any) -> EmergencyAccess:
        return EmergencyAccess(
            doctor=doctor,
            patient=patient,
            patient_profile_id=patient.pk,
            reason_code="unconscious",
            reason="brought in unconscious",
            opened_at=opened,
            expires_at=opened + timedelta(hours=4),
        )

    EmergencyAccess.objects.bulk_create(
        access(emergency_doctor, patients[index % 400], now - timedelta(hours=index % 8))
        for index in range(2000)
    )
    access(doctor_profile, patients[7], now - timedelta(minutes=5)).save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    listed = document_list_for(user=doctor).order_by("-created_at", "id")
    with CaptureQueriesContext(connection) as counted:
        assert listed.count() == 30
    rows_page = DocumentRows(listed, doctor_user=doctor)._values()[:20].query.sql_with_params()
    for sql, params in (rows_page, (counted.captured_queries[-1]["sql"], None)):
        for node in _plan_nodes(sql, params):
            if node.get("Relation Name") == "documents_medicaldocument":
                assert node["Node Type"] != "Seq Scan", (sql, node)
