"""The mobile client's extra calls: GET /api/appointments/my/clinics/ and
GET /api/appointments/my/clinics/<clinic_id>/admission-docs/."""

import uuid

import pytest

from appointments.tests.factories import AppointmentFactory
from clinic.models import AdmissionDocument
from clinic.tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db

CLINICS_URL = "/api/appointments/my/clinics/"


def docs_url(clinic_id) -> str:
    return f"/api/appointments/my/clinics/{clinic_id}/admission-docs/"


def test_the_clinics_where_i_have_appointments(
    client_for, patient, other_patient, clinic, other_clinic, doctor_profile, other_doctor_profile
):
    for time in ("09:00", "09:15"):  # two appointments, one clinic row
        AppointmentFactory(
            patient=patient, doctor=doctor_profile, clinic=clinic, appointment_time=time
        )
    AppointmentFactory(
        patient=patient, doctor=other_doctor_profile, clinic=other_clinic, status="cancelled"
    )
    elsewhere = ClinicFactory(name="Zen Clinic")
    AppointmentFactory(patient=other_patient, doctor=doctor_profile, clinic=elsewhere)

    response = client_for(patient).get(CLINICS_URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(other_clinic.pk),
            "name": "Apollo Clinic",
            "slug": other_clinic.slug,
            "clinic_type": "clinic",
            "city": "Pune",
            "phone": "9876543210",
            "email": "clinic@example.com",
            "address": "12, MG Road",
            "state": "Rajasthan",
            "pincode": "302001",
        },
        {
            "id": str(clinic.pk),
            "name": "City Care Clinic",
            "slug": clinic.slug,
            "clinic_type": "clinic",
            "city": "Jaipur",
            "phone": "9876543210",
            "email": "clinic@example.com",
            "address": "12, MG Road",
            "state": "Rajasthan",
            "pincode": "302001",
        },
    ]
    assert response.headers["X-Total-Count"] == "2"


def test_a_closed_clinic_is_not_listed(client_for, patient, clinic, doctor_profile):
    AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    clinic.is_active = False
    clinic.save()

    assert client_for(patient).get(CLINICS_URL).json() == []


@pytest.mark.parametrize("rows", [2, 10])
def test_my_clinics_run_a_constant_number_of_queries(
    client_for, patient, doctor_profile, django_assert_num_queries, rows
):
    for i in range(rows):
        AppointmentFactory(
            patient=patient,
            doctor=doctor_profile,
            clinic=ClinicFactory(),
            appointment_time=f"{9 + i}:00",
        )
    client = client_for(patient)

    with django_assert_num_queries(2):  # user (token), a short page (no COUNT)
        assert len(client.get(CLINICS_URL).json()) == rows


def test_any_patient_reads_a_clinics_admission_checklist(client_for, other_patient, clinic):
    second = AdmissionDocument.objects.create(
        clinic=clinic, name="Insurance card", is_mandatory=False, display_order=2
    )
    first = AdmissionDocument.objects.create(
        clinic=clinic, name="Aadhaar card", description="Original and a copy", display_order=1
    )

    response = client_for(other_patient).get(docs_url(clinic.pk))

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": first.pk,
            "name": "Aadhaar card",
            "description": "Original and a copy",
            "is_mandatory": True,
            "display_order": 1,
        },
        {
            "id": second.pk,
            "name": "Insurance card",
            "description": "",
            "is_mandatory": False,
            "display_order": 2,
        },
    ]


def test_unknown_or_closed_clinics_have_no_checklist(client_for, patient, clinic):
    clinic.is_active = False
    clinic.save()
    client = client_for(patient)

    assert client.get(docs_url(clinic.pk)).status_code == 404
    assert client.get(docs_url(uuid.uuid4())).status_code == 404
    assert client.get("/api/appointments/my/clinics/42/admission-docs/").status_code == 404


@pytest.mark.parametrize("persona", ["doctor", "clinic_owner"])
def test_the_patient_extras_are_for_patients(client_for, clinic, persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(CLINICS_URL).status_code == 403
    assert client.get(docs_url(clinic.pk)).status_code == 403


def test_the_patient_extras_need_a_token(api_client, clinic):
    assert api_client.get(CLINICS_URL).status_code == 401
    assert api_client.get(docs_url(clinic.pk)).status_code == 401
