"""POST /api/documents/: content decides the type, names are random, staff upload for patients."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from documents.files import documents_storage
from documents.models import DocumentAccessLog, MedicalDocument
from documents.tests.conftest import DOCUMENTS_URL
from documents.tests.factories import (
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    AppointmentFactory,
)

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


def _stored(document_id) -> MedicalDocument:
    return MedicalDocument.objects.get(pk=document_id)


def test_patient_uploads_a_pdf_with_the_mobile_client_shape(patient, upload, appointment):
    response = upload(
        patient,
        title="CBC report",
        document_type="lab_report",
        description="Fasting sample",
        appointment=str(appointment.pk),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "CBC report"
    assert body["document_type"] == "lab_report"
    assert body["description"] == "Fasting sample"
    assert body["appointment"] == appointment.pk
    assert isinstance(body["appointment"], int)
    assert body["content_type"] == "application/pdf"
    assert body["size_bytes"] == len(PDF_BYTES)
    assert body["patient"] == str(patient.pk)
    assert body["uploaded_by_role"] == "patient"
    assert body["uploaded_by"] == {"id": str(patient.pk), "name": patient.name, "role": "patient"}
    assert body["file"].startswith(f"http://testserver/api/documents/{body['id']}/file/?token=")
    document = _stored(body["id"])
    assert STORED_NAME.fullmatch(document.file.name)
    with documents_storage().open(document.file.name) as handle:
        assert handle.read() == PDF_BYTES
    actions = sorted(
        DocumentAccessLog.objects.filter(document=document).values_list("action", flat=True)
    )
    assert actions == ["file_link", "upload"]


def test_upload_without_appointment_and_description(patient, upload):
    response = upload(patient)
    assert response.status_code == 201
    assert response.json()["appointment"] is None
    assert response.json()["description"] == ""


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (PDF_BYTES, "scan.png", "application/pdf", "pdf"),
        (JPEG_BYTES, "photo.pdf", "image/jpeg", "jpg"),
        (PNG_BYTES, "noext", "image/png", "png"),
    ],
)
def test_type_is_judged_by_content_not_by_name(
    patient, upload, content, name, content_type, extension
):
    response = upload(patient, content=content, name=name)
    assert response.status_code == 201
    assert response.json()["content_type"] == content_type
    assert _stored(response.json()["id"]).file.name.endswith(f".{extension}")


def test_html_renamed_pdf_is_refused(patient, upload):
    response = upload(patient, content=HTML_BYTES, name="report.pdf")
    assert response.status_code == 400
    assert response.json() == {"file": ["Unsupported file type: upload a PDF, JPEG or PNG file."]}
    assert not MedicalDocument.objects.exists()


def test_empty_file_is_refused(patient, upload):
    response = upload(patient, content=b"")
    assert response.status_code == 400
    assert response.json() == {"file": ["The submitted file is empty."]}


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=100)
def test_file_over_the_cap_is_refused(patient, upload):
    response = upload(patient, content=PDF_BYTES + b"x" * 100)
    assert response.status_code == 400
    assert response.json() == {
        "message": f"The file is {len(PDF_BYTES) + 100} bytes; the limit is 100 bytes.",
        "code": "file_too_large",
        "limit_bytes": 100,
    }
    assert not MedicalDocument.objects.exists()


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=100)
def test_a_huge_body_is_refused_before_it_is_parsed(patient, client_for):
    response = client_for(patient).generic(
        "POST",
        DOCUMENTS_URL,
        b"x" * 200_000,
        content_type="multipart/form-data; boundary=zzz",
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "The file is about 195.3 KB; the limit is 100 bytes.",
        "code": "file_too_large",
        "limit_bytes": 100,
    }


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=1024 * 1024)
def test_the_size_error_names_the_limit_in_megabytes(patient, upload):
    """Over the cap by more than the multipart framing: refused before the body is read."""
    response = upload(patient, content=PDF_BYTES + b"x" * (512 * 1024 + 1024 * 1024))
    assert response.status_code == 400
    assert response.json() == {
        "message": "The file is about 1.5 MB; the limit is 1 MB.",
        "code": "file_too_large",
        "limit_bytes": 1024 * 1024,
    }
    assert not MedicalDocument.objects.exists()


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=1024 * 1024)
def test_a_file_just_over_the_cap_is_named_in_bytes(patient, upload):
    """Within the framing allowance the file itself is measured; "1 MB; the limit is 1 MB"
    would read as no reason at all, so both sizes are exact."""
    size = 1024 * 1024 + 30 * 1024
    response = upload(patient, content=PDF_BYTES + b"x" * (size - len(PDF_BYTES)))
    assert response.status_code == 400
    assert response.json() == {
        "message": f"The file is {size:,} bytes; the limit is 1,048,576 bytes.",
        "code": "file_too_large",
        "limit_bytes": 1024 * 1024,
    }


def test_an_unreadable_content_length_is_refused(patient, client_for):
    response = client_for(patient).generic(
        "POST",
        DOCUMENTS_URL,
        b"--zzz--",
        content_type="multipart/form-data; boundary=zzz",
        CONTENT_LENGTH="ten",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_content_length"


def test_traversal_filename_is_accepted_but_never_reaches_the_storage_path(patient, upload):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    response = upload(patient, name="../../etc/passwd.pdf")
    assert response.status_code == 201
    name = _stored(response.json()["id"]).file.name
    assert STORED_NAME.fullmatch(name)
    assert "passwd" not in name
    assert ".." not in name
    assert (root / name).is_file()
    assert [p.name for p in root.rglob("*passwd*")] == []


def test_user_text_never_appears_in_the_stored_name(patient, upload):
    response = upload(patient, name="my secret diagnosis.pdf", title="HIV test")
    name = _stored(response.json()["id"]).file.name
    assert "secret" not in name
    assert "HIV" not in name
    assert "diagnosis" not in name


def test_appointment_of_another_patient_is_refused(patient, upload, other_appointment):
    response = upload(patient, appointment=str(other_appointment.pk))
    assert response.status_code == 400
    assert response.json() == {"appointment": ["No such appointment of this patient."]}
    assert not MedicalDocument.objects.exists()


def test_refused_upload_leaves_no_file_behind(patient, upload, other_appointment):
    before = sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    upload(patient, appointment=str(other_appointment.pk))
    upload(patient, content=HTML_BYTES)
    assert sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) == before


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"document_type": "xray"},
            {
                "document_type": [
                    '"xray" is not a valid choice. Choose one of: prescription, lab_report, '
                    "imaging, discharge_summary, insurance, other."
                ]
            },
        ),
        ({"title": ""}, {"title": ["This field may not be blank."]}),
        ({"title": "t" * 201}, {"title": ["Ensure this field has no more than 200 characters."]}),
        ({"appointment": "abc"}, {"appointment": ["A valid integer is required."]}),
        (
            {"appointment": "99999999999999999999"},
            {"appointment": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
        ({"appointment": "999999"}, {"appointment": ["No such appointment of this patient."]}),
        (
            {"appointment": "0"},
            {"appointment": ["Ensure this value is greater than or equal to 1."]},
        ),
        ({"patient_id": "not-a-uuid"}, {"patient_id": ["Must be a valid UUID."]}),
    ],
)
def test_bad_fields_answer_400(patient, upload, fields, errors):
    response = upload(patient, **fields)
    assert response.status_code == 400
    assert response.json() == errors


def test_missing_file_answers_400(patient, client_for):
    response = client_for(patient).post(
        DOCUMENTS_URL, {"title": "x", "document_type": "other"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["No file was submitted."]}


def test_json_body_answers_415(patient, client_for):
    response = client_for(patient).post(
        DOCUMENTS_URL, {"title": "x", "document_type": "other"}, format="json"
    )
    assert response.status_code == 415


def test_patient_cannot_upload_into_another_patients_record(patient, other_patient, upload):
    response = upload(patient, patient_id=str(other_patient.pk))
    assert response.status_code == 400
    assert response.json() == {"patient_id": ["Patients upload only into their own record."]}


def test_patient_may_name_themselves(patient, upload):
    assert upload(patient, patient_id=str(patient.pk)).status_code == 201


@pytest.mark.parametrize("uploader", ["lab_member", "doctor"])
def test_clinic_staff_upload_into_the_record_of_a_patient_of_their_clinic(
    request, uploader, patient, upload, appointment, client_for
):
    staff = request.getfixturevalue(uploader)
    response = upload(
        staff, patient_id=str(patient.pk), appointment=str(appointment.pk), title="Lipid panel"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["patient"] == str(patient.pk)
    assert body["uploaded_by_role"] == uploader
    assert body["uploaded_by"] == {"id": str(staff.pk), "name": staff.name, "role": uploader}
    # The uploader hands the record to the patient: no file link for them.
    assert body["file"] is None
    listed = client_for(patient).get(DOCUMENTS_URL).json()
    assert [(d["id"], d["uploaded_by_role"]) for d in listed] == [(body["id"], uploader)]


def test_staff_upload_needs_patient_id(lab_member, upload):
    response = upload(lab_member)
    assert response.status_code == 400
    assert response.json() == {"patient_id": ["This field is required."]}


def test_staff_cannot_upload_for_a_patient_without_appointment_at_their_clinic(
    lab_member, other_doctor, patient, other_patient, upload, appointment, other_appointment
):
    expected = {"patient_id": ["No patient with an appointment at your clinic has this id."]}
    for staff, target in ((lab_member, other_patient), (other_doctor, patient)):
        response = upload(staff, patient_id=str(target.pk))
        assert response.status_code == 400
        assert response.json() == expected
    response = upload(lab_member, patient_id="00000000-0000-0000-0000-000000000000")
    assert response.json() == expected
    assert not MedicalDocument.objects.exists()


def test_staff_cannot_attach_an_appointment_at_another_clinic(
    lab_member, patient, other_doctor_profile, other_clinic, upload, appointment
):
    elsewhere = AppointmentFactory(
        patient=patient, doctor=other_doctor_profile, clinic=other_clinic
    )
    response = upload(lab_member, patient_id=str(patient.pk), appointment=str(elsewhere.pk))
    assert response.status_code == 400
    assert response.json() == {"appointment": ["No such appointment of this patient."]}


def test_staff_cannot_upload_into_a_non_patient_account(lab_member, doctor, upload, appointment):
    response = upload(lab_member, patient_id=str(doctor.pk))
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["receptionist", "clinic_owner", "superadmin"])
def test_other_roles_cannot_upload(request, persona, upload, patient, appointment):
    user = request.getfixturevalue(persona)
    response = upload(user, patient_id=str(patient.pk))
    assert response.status_code == 403
    assert not MedicalDocument.objects.exists()


def test_anonymous_cannot_upload(api_client, upload_file):
    response = api_client.post(
        DOCUMENTS_URL,
        {"title": "x", "document_type": "other", "file": upload_file()},
        format="multipart",
    )
    assert response.status_code == 401


def test_a_patient_naming_another_patient_as_the_documents_patient_is_400(
    patient, other_patient, upload
):
    response = upload(patient, patient=str(other_patient.pk))
    assert response.status_code == 400
    assert response.json() == {"patient": ["This field cannot be changed here."]}
    assert not MedicalDocument.objects.exists()


def test_a_patient_naming_themselves_as_the_documents_patient_uploads(patient, upload):
    response = upload(patient, patient=str(patient.pk).upper())
    assert response.status_code == 201, response.json()
    assert _stored(response.json()["id"]).patient_id == patient.pk
