"""The admin pages of doctors and the demo data step."""

import datetime as dt

import pytest
from django.test import Client

from demo.seed_clinics import seed_clinics
from demo.seed_doctors import seed_doctors
from demo.seed_users import seed_users
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorLeaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superadmin):
    client = Client()
    client.force_login(superadmin)
    return client


def test_admin_finds_doctors_by_name_contact_and_specialty(admin_client, doctor_profile):
    contact = str(doctor_profile.user.contact)[3:]
    for query in ("Suresh", contact, "cardio"):
        response = admin_client.get("/admin/doctors/doctorprofile/", {"q": query})
        assert response.status_code == 200
        assert "Dr. Suresh Yadav" in response.text
    response = admin_client.get("/admin/doctors/doctorprofile/", {"q": "nobody"})
    assert "Dr. Suresh Yadav" not in response.text


def test_admin_pages_of_profiles_availability_and_leaves_render(
    admin_client, doctor_profile, clinic
):
    window = DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic)
    leave = DoctorLeaveFactory(doctor=doctor_profile)
    pages = [
        f"/admin/doctors/doctorprofile/{doctor_profile.pk}/change/",
        "/admin/doctors/doctoravailability/",
        f"/admin/doctors/doctoravailability/{window.pk}/change/",
        "/admin/doctors/doctorleave/",
        f"/admin/doctors/doctorleave/{leave.pk}/change/",
    ]
    for page in pages:
        assert admin_client.get(page).status_code == 200, page


def test_demo_doctors_get_profiles_availability_and_a_leave_once(api_client):
    seed_users()
    seed_clinics()
    summary = seed_doctors()
    assert "availability" in summary
    counts = (DoctorAvailability.objects.count(), DoctorLeave.objects.count())
    seed_doctors()
    assert (DoctorAvailability.objects.count(), DoctorLeave.objects.count()) == counts
    assert counts == (11, 1)
    suresh = DoctorProfile.objects.get(user__contact="+919876500020")
    assert suresh.registration_number == "RJ-12345"
    assert suresh.specialty == "cardiology"
    listed = api_client.get("/api/doctors/").json()
    demo = DoctorProfile.objects.filter(user__contact__in=["+919876500020", "+919876500021"])
    assert demo.count() == 2
    assert {row["id"] for row in listed} >= set(demo.values_list("id", flat=True))
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    slots = api_client.get(
        f"/api/doctors/{suresh.pk}/availability/slots/", {"date": monday.isoformat()}
    ).json()
    assert slots["available_slots"][:2] == ["09:00", "09:15"]


def test_demo_doctors_step_without_clinics_does_nothing():
    assert seed_doctors() == "no demo doctors (seed_clinics adds them)"
    assert not DoctorAvailability.objects.exists()
