"""The admin: contact + password login, users, read-only logs and roles."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from users.models import OTPLog, TempPasswordLog
from users.tests.factories import DoctorUserFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superadmin) -> Client:
    client = Client()
    client.force_login(superadmin)
    return client


@pytest.mark.parametrize("username", ["9999999999", "+919999999999", "+91 99999 99999"])
def test_superuser_logs_in_with_contact_and_password(superadmin, username):
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": "admin@123"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("username", ["abc", "01123456789", ""])
def test_admin_login_with_a_bad_contact_shows_the_form_again(superadmin, username):
    response = Client().post("/admin/login/", {"username": username, "password": "admin@123"})
    assert response.status_code == 200


def test_a_patient_cannot_use_the_admin(patient):
    client = Client()
    client.post("/admin/login/", {"username": str(patient.contact), "password": "Quick@Care2026"})
    assert client.get("/admin/").status_code == 302


def test_the_login_page_asks_for_the_contact():
    assert "Contact" in Client().get("/admin/login/").content.decode()


def test_user_changelist_search_and_filters(admin_client, patient, clinic_owner):
    # The whole national number: factory numbers share long runs of zeros (+919700000000,
    # +919700000001), so a six-digit tail could match the other person too.
    digits = str(patient.contact)[3:]
    response = admin_client.get("/admin/users/user/", {"q": digits})
    assert response.status_code == 200
    assert patient.name in response.content.decode()
    assert clinic_owner.name not in response.content.decode()
    assert admin_client.get("/admin/users/user/", {"q": "Rahul"}).status_code == 200
    filtered = admin_client.get("/admin/users/user/", {"role__id__exact": 7})
    assert clinic_owner.name in filtered.content.decode()
    incomplete = admin_client.get("/admin/users/user/", {"is_complete_onboarding__exact": 0})
    assert incomplete.status_code == 200


def test_user_add_and_change_pages(admin_client, patient):
    assert admin_client.get("/admin/users/user/add/").status_code == 200
    assert admin_client.get(f"/admin/users/user/{patient.pk}/change/").status_code == 200


def test_admin_can_add_a_user(admin_client):
    response = admin_client.post(
        "/admin/users/user/add/",
        {
            "contact": "9123456789",
            "name": "Added By Admin",
            "role": 3,
            "password1": "Strong-Pass-2026",
            "password2": "Strong-Pass-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    from users.models import User

    assert User.objects.get(contact="+919123456789").check_password("Strong-Pass-2026")


def test_otp_logs_are_read_only(admin_client, send_otp):
    send_otp()
    log = OTPLog.objects.get()
    assert admin_client.get("/admin/users/otplog/").status_code == 200
    assert admin_client.get(f"/admin/users/otplog/{log.pk}/change/").status_code == 200
    assert admin_client.get("/admin/users/otplog/add/").status_code == 403
    assert admin_client.post(f"/admin/users/otplog/{log.pk}/delete/").status_code == 403


def test_roles_are_read_only(admin_client):
    response = admin_client.get("/admin/users/role/")
    assert response.status_code == 200
    assert "IS_CLINIC_OWNER" in response.content.decode()
    assert admin_client.get("/admin/users/role/add/").status_code == 403


def test_temp_passwords_are_shown_only_while_unused(admin_client, superadmin):
    fresh = TempPasswordLog.objects.create(
        user=DoctorUserFactory(),
        temp_password="Kp7mWx3Q",
        issued_by=superadmin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    used = TempPasswordLog.objects.create(
        user=DoctorUserFactory(),
        temp_password="Zz9Yy8Xx",  # a stale copy must never be shown once used
        expires_at=timezone.now() + timedelta(days=7),
        is_used=True,
        used_at=timezone.now(),
    )
    page = admin_client.get("/admin/users/temppasswordlog/").content.decode()
    assert "Kp7mWx3Q" in page
    assert "Zz9Yy8Xx" not in page
    detail = admin_client.get(f"/admin/users/temppasswordlog/{fresh.pk}/change/")
    assert "Kp7mWx3Q" in detail.content.decode()
    used_detail = admin_client.get(f"/admin/users/temppasswordlog/{used.pk}/change/")
    assert "Zz9Yy8Xx" not in used_detail.content.decode()
    assert admin_client.get("/admin/users/temppasswordlog/add/").status_code == 403


def test_search_by_contact_with_the_plus91_form(admin_client):
    user = PatientFactory(contact="+919812345678", name="Searchable")
    page = admin_client.get("/admin/users/user/", {"q": "+919812345678"}).content.decode()
    assert user.name in page


def test_patient_profiles_are_listed_read_only(admin_client, patient):
    from users.models import PatientProfile
    from users.tests.profiles_helpers import dependent_of

    child = dependent_of(patient, name="Aarav Sharma")
    listed = admin_client.get("/admin/users/patientprofile/", {"q": str(patient.contact)[-10:]})
    assert listed.status_code == 200
    assert b"Aarav Sharma" in listed.content
    assert admin_client.get("/admin/users/patientprofile/add/").status_code == 403
    detail = admin_client.get(f"/admin/users/patientprofile/{child.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # shown, never edited
    response = admin_client.post(
        f"/admin/users/patientprofile/{child.pk}/change/", {"name": "Someone else"}
    )
    assert response.status_code == 403
    child.refresh_from_db()
    assert child.name == "Aarav Sharma"
    assert PatientProfile.objects.filter(account=patient).count() == 2
