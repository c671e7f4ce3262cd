"""Admin pages of the clinic app: they render, and the active toggle releases staff."""

import pytest
from django.test import Client

from clinic.admin import ClinicTimeSlotAdminForm
from clinic.models import AdmissionDocument, Clinic, ClinicMember
from clinic.tests.factories import ClinicTimeSlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superadmin) -> Client:
    client = Client()
    client.force_login(superadmin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/clinic/clinic/",
        "/admin/clinic/clinic/?is_active__exact=0",
        "/admin/clinic/clinicmember/",
        "/admin/clinic/clinictimeslot/",
        "/admin/clinic/admissiondocument/",
        "/admin/clinic/clinicmember/?q=Suresh",
    ],
)
def test_changelists_render(admin_client, clinic, doctor, receptionist, path):
    ClinicTimeSlotFactory(clinic=clinic)
    AdmissionDocument.objects.create(clinic=clinic, name="Photo ID")

    assert admin_client.get(path).status_code == 200


def test_clinic_change_page_shows_its_members_inline(admin_client, clinic, doctor):
    response = admin_client.get(f"/admin/clinic/clinic/{clinic.pk}/change/")

    assert response.status_code == 200
    assert "Dr. Suresh Yadav" in response.content.decode()


def test_deactivate_action_soft_deletes_and_releases_staff(admin_client, clinic, doctor):
    response = admin_client.post(
        "/admin/clinic/clinic/",
        {"action": "deactivate_clinics", "_selected_action": [str(clinic.pk)]},
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.is_active is False
    assert ClinicMember.objects.get(user=doctor).status == "inactive"


def test_activate_action(admin_client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(is_active=False)

    admin_client.post(
        "/admin/clinic/clinic/",
        {"action": "activate_clinics", "_selected_action": [str(clinic.pk)]},
    )

    clinic.refresh_from_db()
    assert clinic.is_active is True


def test_the_list_toggle_releases_staff_too(admin_client, clinic, doctor):
    response = admin_client.post(
        "/admin/clinic/clinic/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(clinic.pk),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.is_active is False
    assert ClinicMember.objects.get(user=doctor).status == "inactive"


def test_the_slot_form_refuses_an_overlap_and_a_backwards_window(clinic):
    ClinicTimeSlotFactory(clinic=clinic)
    base = {
        "clinic": clinic.pk,
        "day_of_week": 0,
        "slot_duration_minutes": 15,
        "max_appointments": 10,
        "is_active": True,
    }

    overlapping = ClinicTimeSlotAdminForm(data={**base, "start_time": "12:00", "end_time": "14:00"})
    backwards = ClinicTimeSlotAdminForm(data={**base, "start_time": "15:00", "end_time": "14:00"})
    fine = ClinicTimeSlotAdminForm(data={**base, "start_time": "13:00", "end_time": "14:00"})

    assert not overlapping.is_valid()
    assert "Overlaps the active Monday window 09:00-13:00." in str(overlapping.errors)
    assert not backwards.is_valid()
    assert "end_time" in backwards.errors
    assert fine.is_valid(), fine.errors
