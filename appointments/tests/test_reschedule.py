"""Reschedule as one operation: the new time booked under the booking rules, the old one
cancelled and linked, both histories recording it; a refused target changes nothing."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import IST, NEXT_MONDAY
from appointments.waitlist.models import WaitlistEntry
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def my_url(appointment_id: int) -> str:
    return f"/api/appointments/my/{appointment_id}/reschedule/"


def staff_url(appointment_id: int) -> str:
    return f"/api/appointments/doctor/{appointment_id}/reschedule/"


def to(time: str, date: dt.date = NEXT_MONDAY) -> dict:
    return {"appointment_date": date.isoformat(), "appointment_time": time}


@pytest.fixture
def booked(book, patient):
    response = book(patient, appointment_type="follow_up", notes="Knee pain")
    assert response.status_code == 201
    return Appointment.objects.get(pk=response.json()["id"])


def test_the_patient_moves_their_appointment_in_one_step(client_for, patient, booked):
    response = client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    new = Appointment.objects.get(pk=body["id"])
    old = Appointment.objects.get(pk=booked.pk)
    assert (body["appointment_time"], body["status"], body["rescheduled_from"]) == (
        "10:00",
        "pending",
        old.pk,
    )
    assert response["Location"].endswith(f"/api/appointments/my/{new.pk}/")
    assert (old.status, old.rescheduled_to_id, old.cancellation_reason) == (
        "cancelled",
        new.pk,
        f"rescheduled to #{new.pk}",
    )
    # Copied: type (and so the fee), mode, the patient's notes.
    assert (new.appointment_type, new.mode, new.notes, new.fee_charged) == (
        "follow_up",
        "in_clinic",
        "Knee pain",
        300,
    )
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in body["history"]] == [
        (None, "pending", f"rescheduled from #{old.pk}")
    ]
    old_history = client_for(patient).get(f"/api/appointments/my/{old.pk}/").json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in old_history] == [
        (None, "pending"),
        ("pending", "cancelled"),
    ]
    assert old_history[-1]["actor"]["name"] == "Rahul Sharma"


def test_a_taken_target_is_a_409_with_next_slots_and_changes_nothing(
    client_for, book, patient, other_patient, booked
):
    assert book(other_patient, appointment_time="10:00").status_code == 201
    before = Appointment.objects.get(pk=booked.pk)
    count = Appointment.objects.count()

    response = client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")

    assert response.status_code == 409
    assert response.json() == {
        "message": "This slot is already booked; choose another slot.",
        "code": "booked",
        "next_available_slots": ["10:15", "10:30", "10:45", "11:00", "11:15"],
    }
    after = Appointment.objects.get(pk=booked.pk)
    assert (after.status, after.rescheduled_to_id, after.updated_at) == (
        "pending",
        None,
        before.updated_at,
    )
    assert after.status_changes.count() == 1
    assert Appointment.objects.count() == count


@pytest.mark.parametrize(
    ("target", "code"),
    [
        (to("09:30"), "reschedule_same_time"),
        (to("09:00", dt.date(2026, 2, 23)), "past_date"),
        (to("09:10"), "not_on_grid"),
        ({"appointment_date": "2026-03-09"}, None),
        ({"appointment_date": "tomorrow", "appointment_time": "10:00"}, None),
    ],
)
def test_a_bad_target_is_a_clear_400(client_for, patient, booked, target, code):
    response = client_for(patient).post(my_url(booked.pk), target, format="json")

    assert response.status_code == 400
    if code:
        assert response.json()["code"] == code
    assert Appointment.objects.get(pk=booked.pk).status == "pending"


def test_a_started_or_ended_appointment_cannot_move(client_for, clock, patient, booked):
    booked.status = "cancelled"
    booked.save()
    response = client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "not_cancellable")

    booked.status = "pending"
    booked.save()
    clock.move_to(dt.datetime(2026, 3, 9, 9, 40, tzinfo=IST))
    response = client_for(patient).post(my_url(booked.pk), to("11:00"), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "appointment_started")


def test_a_patient_at_the_cap_can_still_move(client_for, patient, booked, settings):
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 1

    response = client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")

    assert response.status_code == 201, response.json()


def test_the_doctor_moves_a_confirmed_appointment_and_it_stays_confirmed(
    client_for, doctor, patient, booked
):
    client_for(doctor).patch(
        f"/api/appointments/doctor/{booked.pk}/", {"status": "confirmed"}, format="json"
    )

    response = client_for(doctor).post(staff_url(booked.pk), to("11:00"), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["appointment_time"]) == ("confirmed", "11:00")
    assert response["Location"].endswith(f"/api/appointments/doctor/{body['id']}/")
    kinds = set(Notification.objects.filter(recipient=patient).values_list("kind", flat=True))
    assert Kind.APPOINTMENT_RESCHEDULED in kinds
    assert Kind.APPOINTMENT_CANCELLED_BY_DOCTOR not in kinds


def test_the_doctor_is_told_when_the_patient_moves_it(client_for, doctor, patient, booked):
    client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")

    notice = Notification.objects.get(
        recipient=doctor, kind=Kind.APPOINTMENT_RESCHEDULED_DOCTOR, channel="inapp"
    )
    assert notice.body == (
        "QuickCare: Rahul Sharma moved their appointment with you to 9 March 2026 at 10:00."
    )
    assert not Notification.objects.filter(kind=Kind.APPOINTMENT_CANCELLED_BY_PATIENT).exists()


def test_the_freed_time_goes_to_the_waitlist(client_for, patient, other_patient, booked, clinic):
    waiting = WaitlistEntry.objects.create(
        patient=other_patient,
        doctor=booked.doctor,
        clinic=clinic,
        date=NEXT_MONDAY,
        from_time=dt.time(9, 30),
        to_time=dt.time(9, 30),
    )

    client_for(patient).post(my_url(booked.pk), to("10:00"), format="json")

    waiting.refresh_from_db()
    assert (waiting.status, waiting.offered_time) == ("offered", dt.time(9, 30))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("doctor", 201),
        ("clinic_owner", 201),
        ("receptionist", 201),
        ("other_owner", 404),
        ("other_doctor", 404),
        ("other_receptionist", 404),
        ("lab_member", 403),
        ("patient", 403),
    ],
)
def test_staff_reschedule_permissions(client_for, booked, persona, status, request, other_clinic):
    if persona == "other_receptionist":
        from clinic.tests.factories import ClinicMemberFactory
        from users.tests.factories import ReceptionistFactory

        user = ReceptionistFactory()
        ClinicMemberFactory(clinic=other_clinic, user=user, member_role="receptionist")
    else:
        user = request.getfixturevalue(persona)

    response = client_for(user).post(staff_url(booked.pk), to("10:00"), format="json")

    assert response.status_code == status, response.json()
    assert Appointment.objects.filter(appointment_time=dt.time(10)).exists() == (status == 201)


@pytest.mark.parametrize(("persona", "status"), [("other_patient", 404), ("doctor", 403)])
def test_patient_reschedule_permissions(client_for, booked, persona, status, request):
    user = request.getfixturevalue(persona)

    response = client_for(user).post(my_url(booked.pk), to("10:00"), format="json")

    assert response.status_code == status
    assert Appointment.objects.get(pk=booked.pk).status == "pending"
