"""The document list's row reader (`documents/rows.py`) answers the same JSON bytes as
`DocumentOutputSerializer`, which stays the schema and the reference (every page, both the
patient's and the doctor's list, filtered), and marks exactly the break-glass patients'
events `emergency`."""

import datetime as dt

import orjson
import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.renderers import FastJSONRenderer
from documents import rows
from documents.models import EmergencyAccess, MedicalDocument
from documents.selectors import document_list_for
from documents.serializers import DocumentOutputSerializer
from documents.tests.conftest import DOCUMENTS_URL
from documents.tests.factories import AppointmentFactory, MedicalDocumentFactory
from users.models import PatientProfile
from users.tests.profiles_helpers import dependent_of


@pytest.fixture
def varied(patient, doctor, doctor_profile, clinic, lab_member):
    """Documents of `patient` and a dependent: every uploader (self, doctor, lab member, a
    deleted account), with and without an appointment, description and non-ASCII text."""
    patient.name = "राहुल शर्मा"
    patient.save()
    child = dependent_of(patient, name="आरव “Jr”", date_of_birth=dt.date(2019, 5, 1))
    visit = AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    made = []
    uploaders = [(patient, "patient"), (doctor, "doctor"), (lab_member, "lab_member"), (None, "")]
    for i in range(9):
        uploader, role = uploaders[i % 4]
        made.append(
            MedicalDocumentFactory(
                patient=patient,
                **({"patient_profile": child} if i % 3 == 1 else {}),
                uploaded_by=uploader,
                uploaded_by_role=role,
                title=["X-ray चेस्ट", 'Report "final"\n<b>', "Rx 🩺"][i % 3],
                description=["", "दर्द", "line\tone\u2028two"][i % 3],
                document_type=["lab_report", "imaging", "prescription"][i % 3],
                appointment=visit if i % 2 else None,
                size_bytes=[0, 1, 10 * 1024 * 1024][i % 3],
            )
        )
    # Distinct creation times, and two equal ones (the id breaks the tie).
    base = timezone.now() - dt.timedelta(days=3)
    for i, document in enumerate(made):
        moment = base + dt.timedelta(minutes=min(i, 7), microseconds=i)
        MedicalDocument.objects.filter(pk=document.pk).update(created_at=moment)
    return made


def _rendered(data) -> bytes:
    return FastJSONRenderer().render(data)


def _through_serializer(documents, links) -> bytes:
    return _rendered(DocumentOutputSerializer(documents, many=True, context={"links": links}).data)


@pytest.mark.parametrize("page", [slice(0, 3), slice(3, 6), slice(5, 20)])
def test_patient_rows_render_the_serializers_bytes(varied, patient, page):
    queryset = document_list_for(user=patient)
    page_rows = rows.DocumentRows(queryset)[page]
    links = {row["id"]: f"https://x.test/f/{row['id']}?s=1" for row in page_rows[::2]}
    assert page_rows, "the page must not be empty"
    expected = _through_serializer(list(queryset[page]), links)
    assert _rendered(rows.document_payloads(page_rows, links=links)) == expected
    assert rows.DocumentRows(queryset).count() == 6  # the account's own profile's (scope)


def test_doctor_rows_render_the_serializers_bytes(varied, doctor, make_consent):
    for document in varied[::2]:  # the dependent's 4 among them
        make_consent(document)
    queryset = document_list_for(user=doctor)
    page_rows = rows.DocumentRows(queryset, doctor_user=doctor)[0:20]
    assert len(page_rows) == 5
    links = {row["id"]: "l" for row in page_rows}
    expected = _through_serializer(list(queryset), links)
    assert _rendered(rows.document_payloads(page_rows, links=links)) == expected
    queryset = queryset.filter(document_type="lab_report")
    page_rows = rows.DocumentRows(queryset, doctor_user=doctor)[0:20]
    assert len(page_rows) == 2  # lab reports among the consented: 0 and 6
    links = {row["id"]: "l" for row in page_rows}
    expected = _through_serializer(list(queryset), links)
    assert _rendered(rows.document_payloads(page_rows, links=links)) == expected


def test_list_answers_the_serializers_bytes_over_http(client_for, varied, patient):
    response = client_for(patient).get(DOCUMENTS_URL, {"page_size": 5})
    assert response.status_code == 200
    body = orjson.loads(response.content)
    links = {document["id"]: document["file"] for document in body}
    assert all(links.values())
    shown = MedicalDocument.objects.filter(pk__in=list(links))
    shown = sorted(shown, key=lambda d: [item["id"] for item in body].index(str(d.pk)))
    with timezone.override(dt.UTC):  # the API answers in UTC (core/api_timezone.py)
        expected = _through_serializer(shown, {d.pk: links[str(d.pk)] for d in shown})
    assert response.content == expected


def _break_glass(doctor_profile, patient, clinic, *, opened: int, closes: int) -> None:
    """An emergency access of the doctor to the patient, open and closing `opened` and
    `closes` seconds from now."""
    now = timezone.now()
    EmergencyAccess.objects.create(
        doctor=doctor_profile,
        patient=patient,
        patient_profile=PatientProfile.objects.get(pk=patient.pk),
        clinic=clinic,
        reason_code="unconscious",
        reason="Brought in",
        opened_at=now + dt.timedelta(seconds=opened),
        expires_at=now + dt.timedelta(seconds=closes),
    )


def test_only_the_break_glass_patients_events_are_marked(
    client_for, doctor, doctor_profile, clinic, patient, other_patient, make_consent
):
    consented = make_consent(MedicalDocumentFactory(patient=other_patient)).document
    glass = MedicalDocumentFactory(patient=patient)
    _break_glass(doctor_profile, patient, clinic, opened=-60, closes=3600)
    listed = client_for(doctor).get(DOCUMENTS_URL).json()
    assert {d["id"] for d in listed} == {str(consented.pk), str(glass.pk)}
    events = AuditEvent.objects.filter(category="access", action="file_link", actor=doctor)
    marks = {event.document_id: event.emergency for event in events}
    assert marks == {glass.pk: True, consented.pk: False}


def test_an_expired_break_glass_marks_nothing(
    client_for, doctor, doctor_profile, clinic, patient, make_consent
):
    document = make_consent(MedicalDocumentFactory(patient=patient)).document
    _break_glass(doctor_profile, patient, clinic, opened=-7200, closes=-3600)
    assert [d["id"] for d in client_for(doctor).get(DOCUMENTS_URL).json()] == [str(document.pk)]
    (event,) = AuditEvent.objects.filter(category="access", action="file_link", actor=doctor)
    assert event.emergency is False
