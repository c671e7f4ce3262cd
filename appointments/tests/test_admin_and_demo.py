"""The appointments admin (read-mostly, history inline) and the demo data step."""

import pytest
from django.test import Client

from appointments.models import Appointment, AppointmentStatusChange
from appointments.slots import doctor_free_slots
from appointments.tests.factories import AppointmentFactory, AppointmentStatusChangeFactory
from demo.seed_appointments import seed_appointments
from demo.seed_clinics import seed_clinics
from demo.seed_doctors import seed_doctors
from demo.seed_users import seed_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superadmin):
    client = Client()
    client.force_login(superadmin)
    return client


@pytest.fixture
def appointment(patient, doctor_profile, clinic):
    appointment = AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    AppointmentStatusChangeFactory(appointment=appointment, actor=patient, reason="booked")
    return appointment


def test_the_admin_lists_and_filters_appointments(admin_client, appointment):
    for params in ({}, {"status": "pending"}, {"appointment_date": "2026-03-09"}, {"q": "Rahul"}):
        response = admin_client.get("/admin/appointments/appointment/", params)
        assert response.status_code == 200
        assert "Rahul Sharma" in response.text
    response = admin_client.get(
        "/admin/appointments/appointment/", {"clinic__id__exact": str(appointment.clinic_id)}
    )
    assert "Rahul Sharma" in response.text
    response = admin_client.get("/admin/appointments/appointment/", {"status": "completed"})
    assert "Rahul Sharma" not in response.text


def test_the_admin_shows_history_read_only_and_only_records_payment(admin_client, appointment):
    url = f"/admin/appointments/appointment/{appointment.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "booked" in page.text  # the history inline

    response = admin_client.post(
        url,
        {
            "is_paid": "on",
            "status": "completed",
            "status_changes-TOTAL_FORMS": "1",
            "status_changes-INITIAL_FORMS": "1",
            "status_changes-MIN_NUM_FORMS": "0",
            "status_changes-MAX_NUM_FORMS": "1000",
            "status_changes-0-id": str(appointment.status_changes.get().pk),
            "status_changes-0-appointment": str(appointment.pk),
        },
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.is_paid, appointment.status) == (True, "pending")
    from audit.models import AuditEvent

    change = AuditEvent.objects.filter(patient=appointment.patient, category="admin").get()
    assert change.data == {
        "model": "appointments.appointment",
        "object": str(appointment.pk),
        "fields": ["is_paid"],
    }


def test_the_admin_cannot_add_or_delete(admin_client, appointment):
    assert admin_client.get("/admin/appointments/appointment/add/").status_code == 403
    delete = f"/admin/appointments/appointment/{appointment.pk}/delete/"
    assert admin_client.get(delete).status_code == 403
    assert Appointment.objects.count() == 1


def test_demo_appointments_are_seeded_once():
    assert seed_appointments().startswith("skipped")
    seed_users()
    seed_clinics()
    seed_doctors()

    summary = seed_appointments()

    assert summary.startswith("4 for 9876500001")
    rows = Appointment.objects.filter(patient__contact="+919876500001")
    assert sorted(rows.values_list("status", flat=True)) == [
        "cancelled",
        "completed",
        "confirmed",
        "pending",
    ]
    assert AppointmentStatusChange.objects.count() == 8  # 1 + 2 + 2 + 3
    for row in rows.filter(status__in=["pending", "confirmed"]):
        free = doctor_free_slots(
            doctor_id=row.doctor_id, clinic=row.clinic, date=row.appointment_date
        )
        assert row.appointment_time not in free.free
    assert seed_appointments().startswith("already there (4")
    assert rows.count() == 4


def test_the_waitlist_admin_shows_whom_each_entry_is_for(
    admin_client, patient, doctor_profile, clinic, django_assert_max_num_queries
):
    import datetime as dt

    from appointments.waitlist.models import WaitlistEntry
    from users.tests.profiles_helpers import dependent_of

    for name in ("Aarav Sharma", "Diya Sharma"):
        WaitlistEntry.objects.create(
            patient=patient,
            patient_profile=dependent_of(patient, name=name),
            doctor=doctor_profile,
            clinic=clinic,
            date=dt.date(2026, 3, 9),
        )
    url = "/admin/appointments/waitlistentry/"
    admin_client.get(url)

    with django_assert_max_num_queries(12):
        page = admin_client.get(url)

    assert page.status_code == 200
    assert "Aarav Sharma" in page.text
    assert "Diya Sharma" in page.text
    entry = WaitlistEntry.objects.first()
    assert admin_client.get(f"{url}{entry.pk}/change/").status_code == 200
