"""Every `201 Created` carries `Location`: the new resource's URL, which its creator can GET
where the API has a read view for it. The walk covers every operation the schema declares 201."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from appointments.waitlist.models import WaitlistEntry
from clinic.rules import clinic_today
from clinic.tests.conftest import clinic_payload, slot, step3_payload
from doctors.tests.factories import DoctorAvailabilityFactory
from documents.tests.factories import PDF_BYTES, AppointmentFactory, MedicalDocumentFactory
from users.tests.factories import ClinicOwnerFactory, PatientFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-Lotus-Tea-42"


@dataclass
class Post:
    client: APIClient
    path: str
    body: dict[str, Any]
    format: str = "json"
    reader: APIClient | None = None  # who GETs the Location (default: the creator)


def _registration(api_client, settings, flow: str, contact: int) -> Post:
    settings.MASTER_OTP = "000000"
    step1 = {"contact": contact, "name": "Rahul Sharma", "password": PASSWORD}
    started = api_client.post(f"/api/users/onboarding/{flow}/step1/", step1, format="json")
    assert started.status_code == 200, started.content
    return Post(
        api_client, f"/api/users/onboarding/{flow}/step2/", {"contact": contact, "otp": "000000"}
    )


def _booking(f) -> Post:
    day = dt.date.today() + dt.timedelta(days=7)
    DoctorAvailabilityFactory(
        doctor=f.doctor_profile, clinic=f.clinic, day_of_week=day.weekday(), start_time=dt.time(9)
    )
    body = {
        "doctor": f.doctor_profile.pk,
        "appointment_date": day.isoformat(),
        "appointment_time": "10:00",
        "appointment_type": "first_visit",
        "mode": "in_clinic",
    }
    return Post(f.client_for(f.patient), "/api/appointments/my/", body)


def _walk_in(f) -> Post:
    # A session all day today with overbooking on: a walk-in is taken whatever the hour.
    DoctorAvailabilityFactory(
        doctor=f.doctor_profile,
        clinic=f.clinic,
        day_of_week=clinic_today(f.clinic).weekday(),
        start_time=dt.time(0),
        end_time=dt.time(23, 59),
        slot_duration_minutes=15,
        max_patients=1,
    )
    f.doctor_profile.allow_overbooking = True
    f.doctor_profile.save(update_fields=["allow_overbooking"])
    body = {"doctor": f.doctor_profile.pk, "contact": 9812345673, "name": "Walk In"}
    return Post(f.client_for(f.clinic_owner), "/api/appointments/walk-in/", body)


def _booked(f, *, max_patients: int = 20) -> Any:
    """An appointment of the patient a week ahead at 10:00, in a 09:00-13:00 window."""
    day = dt.date.today() + dt.timedelta(days=7)
    DoctorAvailabilityFactory(
        doctor=f.doctor_profile,
        clinic=f.clinic,
        day_of_week=day.weekday(),
        start_time=dt.time(9),
        max_patients=max_patients,
    )
    return AppointmentFactory(
        patient=f.patient,
        doctor=f.doctor_profile,
        clinic=f.clinic,
        appointment_date=day,
        appointment_time=dt.time(10),
    )


def _reschedule(f, *, by: str) -> Post:
    appointment = _booked(f)
    body = {
        "appointment_date": appointment.appointment_date.isoformat(),
        "appointment_time": "11:00",
    }
    client = f.client_for(f.patient if by == "my" else f.doctor)
    return Post(client, f"/api/appointments/{by}/{appointment.pk}/reschedule/", body)


def _waitlist_join(f) -> Post:
    appointment = _booked(f, max_patients=1)  # the window is full: nothing free to book
    body = {"doctor": f.doctor_profile.pk, "date": appointment.appointment_date.isoformat()}
    return Post(f.client_for(PatientFactory()), "/api/appointments/waitlist/", body)


def _waitlist_accept(f) -> Post:
    day = dt.date.today() + dt.timedelta(days=7)
    DoctorAvailabilityFactory(
        doctor=f.doctor_profile, clinic=f.clinic, day_of_week=day.weekday(), start_time=dt.time(9)
    )
    entry = WaitlistEntry.objects.create(
        patient=f.patient,
        doctor=f.doctor_profile,
        clinic=f.clinic,
        date=day,
        status="offered",
        offered_time=dt.time(10),
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + dt.timedelta(minutes=10),
    )
    return Post(f.client_for(f.patient), f"/api/appointments/waitlist/{entry.pk}/accept/", {})


def _consent(f) -> Post:
    AppointmentFactory(patient=f.patient, doctor=f.doctor_profile, clinic=f.clinic)
    document = MedicalDocumentFactory(patient=f.patient)
    body = {"document": str(document.pk), "purpose": "Reviewing prior lab results"}
    return Post(f.client_for(f.doctor), "/api/documents/consent/request/", body)


CASES: dict[tuple[str, str | None], Callable[[Any], Post]] = {
    # (schema path, URL name of the Location): how to make one as its creator.
    ("/api/users/onboarding/patient/step2/", "me"): lambda f: _registration(
        f.api_client, f.settings, "patient", 9812345670
    ),
    ("/api/users/onboarding/clinic/step2/", "me"): lambda f: _registration(
        f.api_client, f.settings, "clinic", 9812345671
    ),
    ("/api/users/address/", "address-detail"): lambda f: Post(
        f.client_for(f.patient), "/api/users/address/", {"town": "Jaipur"}
    ),
    ("/api/clinics/onboarding/step3/", "clinic-detail"): lambda f: Post(
        f.client_for(ClinicOwnerFactory(is_partial_onboarding=True, is_complete_onboarding=False)),
        "/api/clinics/onboarding/step3/",
        step3_payload(),
    ),
    ("/api/clinics/", "clinic-detail"): lambda f: Post(
        f.client_for(f.clinic_owner), "/api/clinics/", clinic_payload(name="Second Branch")
    ),
    ("/api/clinics/{clinic_id}/members/", "clinic-member-detail"): lambda f: Post(
        f.client_for(f.clinic_owner),
        f"/api/clinics/{f.clinic.pk}/members/",
        {"contact": 9812345672, "member_role": "receptionist", "name": "Sunita Desk"},
    ),
    ("/api/clinics/{clinic_id}/slots/", "clinic-slot-detail"): lambda f: Post(
        f.client_for(f.clinic_owner), f"/api/clinics/{f.clinic.pk}/slots/", slot(day_of_week=3)
    ),
    ("/api/clinics/{clinic_id}/admission-docs/", "clinic-admission-doc-detail"): lambda f: Post(
        f.client_for(f.clinic_owner),
        f"/api/clinics/{f.clinic.pk}/admission-docs/",
        {"name": "Insurance card", "is_mandatory": False, "display_order": 0},
    ),
    ("/api/doctors/{doctor_id}/availability/", "doctor-availability-detail"): lambda f: Post(
        f.client_for(f.doctor),
        f"/api/doctors/{f.doctor_profile.pk}/availability/",
        {
            "clinic": str(f.clinic.pk),
            "day": "wednesday",
            "start_time": "09:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_patients": 20,
        },
    ),
    ("/api/doctors/me/leaves/", "doctor-leave-detail"): lambda f: Post(
        f.client_for(f.doctor),
        "/api/doctors/me/leaves/",
        {
            "start_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "end_date": (dt.date.today() + dt.timedelta(days=31)).isoformat(),
        },
    ),
    ("/api/appointments/my/", "appointment-my-detail"): _booking,
    ("/api/appointments/walk-in/", "appointment-queue-entry"): _walk_in,
    ("/api/appointments/my/{appointment_id}/reschedule/", "appointment-my-detail"): lambda f: (
        _reschedule(f, by="my")
    ),
    ("/api/appointments/doctor/{appointment_id}/reschedule/", "appointment-doctor-detail"): (
        lambda f: _reschedule(f, by="doctor")
    ),
    ("/api/appointments/waitlist/", "waitlist-detail"): _waitlist_join,
    ("/api/appointments/waitlist/{entry_id}/accept/", "appointment-my-detail"): _waitlist_accept,
    ("/api/documents/", "detail"): lambda f: Post(
        f.client_for(f.patient),
        "/api/documents/",
        {
            "title": "Lab report",
            "document_type": "lab_report",
            "file": SimpleUploadedFile("r.pdf", PDF_BYTES, "application/octet-stream"),
        },
        format="multipart",
    ),
    ("/api/documents/consent/request/", "consent-doctor"): _consent,
    ("/api/users/me/devices/", "device-detail"): lambda f: Post(
        f.client_for(f.patient), "/api/users/me/devices/", {"token": "fcm-token-1"}
    ),
    # Issue 13: a dependent of the account.
    ("/api/users/me/dependents/", "dependent-detail"): lambda f: Post(
        f.client_for(f.patient),
        "/api/users/me/dependents/",
        {"relation": "child", "name": "Aarav Sharma"},
    ),
    ("/api/documents/emergency-access/", "emergency-access-detail"): lambda f: Post(
        f.client_for(f.doctor),
        "/api/documents/emergency-access/",
        {"patient": str(f.patient.pk), "reason_code": "unconscious", "reason": "ER"},
    ),
}
# The API has no GET for these resources (only PUT/PATCH/DELETE): Location names their URL.
NO_READ_VIEW = {"doctor-availability-detail", "doctor-leave-detail", "device-detail"}


def test_every_201_operation_of_the_schema_has_a_case():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    created = {
        path
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if isinstance(operation, dict) and "201" in operation.get("responses", {})
    }
    assert created == {path for path, _ in CASES}


@dataclass
class _Fixtures:
    api_client: Any
    client_for: Any
    settings: Any
    patient: Any
    clinic_owner: Any
    clinic: Any
    doctor: Any
    doctor_profile: Any


@pytest.mark.parametrize(("case", "url_name"), list(CASES), ids=[path for path, _ in CASES])
def test_a_201_carries_a_location_to_the_new_resource(
    case,
    url_name,
    api_client,
    client_for,
    settings,
    patient,
    clinic_owner,
    clinic,
    doctor,
    doctor_profile,
):
    fixtures = _Fixtures(
        api_client, client_for, settings, patient, clinic_owner, clinic, doctor, doctor_profile
    )
    post = CASES[(case, url_name)](fixtures)
    response = post.client.post(post.path, post.body, format=post.format)
    assert response.status_code == 201, response.content

    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc) == ("http", "testserver")
    assert resolve(location.path).url_name == url_name
    body = response.json()
    if "id" in body and url_name != "consent-doctor":
        assert str(body["id"]) in location.path
    if url_name in NO_READ_VIEW:
        return
    reader = post.reader or post.client
    if url_name == "me":  # a registration: the new account's own tokens read it
        reader = APIClient()
        reader.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    read = reader.get(response["Location"])
    assert read.status_code == 200, read.content
    if url_name == "consent-doctor":
        assert [item["id"] for item in read.json()] == [body["id"]]
