"""A leave that lands on bookings: the impact listing, the 409 without `on_conflict`, both
resolutions, and the owner's dashboard showing leaves with their impact."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import NEXT_MONDAY
from appointments.tests.factories import AppointmentFactory
from appointments.waitlist.models import WaitlistEntry
from doctors.models import DoctorLeave
from notifications.models import Kind, Notification
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
LEAVES = "/api/doctors/me/leaves/"
IMPACT = "/api/doctors/me/leaves/impact/"
FOLLOWING_MONDAY = dt.date(2026, 3, 16)


def leave_body(**extra) -> dict:
    return {"start_date": NEXT_MONDAY.isoformat(), "end_date": NEXT_MONDAY.isoformat(), **extra}


@pytest.fixture
def two_bookings(book, patient, other_patient):
    first = book(patient, notes="Knee pain", appointment_type="follow_up")
    second = book(other_patient, appointment_time="10:00")
    assert first.status_code == second.status_code == 201
    return [Appointment.objects.get(pk=r.json()["id"]) for r in (first, second)]


def test_the_impact_lists_what_a_leave_would_touch(
    client_for, doctor, doctor_profile, clinic, two_bookings, other_doctor_profile
):
    cancelled = AppointmentFactory(
        doctor=doctor_profile, clinic=clinic, appointment_time=dt.time(11), status="cancelled"
    )
    AppointmentFactory(doctor=other_doctor_profile, clinic=clinic)  # someone else's
    AppointmentFactory(doctor=doctor_profile, clinic=clinic, appointment_date=FOLLOWING_MONDAY)

    response = client_for(doctor).get(
        IMPACT, {"start_date": "2026-03-09", "end_date": "2026-03-09"}
    )

    assert response.status_code == 200
    rows = response.json()
    assert [row["id"] for row in rows] == [a.pk for a in two_bookings]
    assert cancelled.pk not in [row["id"] for row in rows]
    assert rows[0]["patient"]["name"] == "Rahul Sharma"
    assert response["X-Total-Count"] == "2"
    at_clinic = client_for(doctor).get(
        IMPACT, {"start_date": "2026-03-09", "end_date": "2026-03-09", "clinic": str(clinic.pk)}
    )
    assert len(at_clinic.json()) == 2


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-03-10", "end_date": "2026-03-09"},
        {"start_date": "2026-03-09"},
        {"start_date": "x", "end_date": "2026-03-09"},
        {"start_date": "2026-03-09", "end_date": "2026-03-09", "clinic": "not-a-uuid"},
    ],
)
def test_a_bad_impact_query_is_a_400(client_for, doctor, clock, query):
    assert client_for(doctor).get(IMPACT, query).status_code == 400


def test_the_impact_at_a_clinic_not_theirs_is_a_400(client_for, doctor, other_clinic, clock):
    query = {"start_date": "2026-03-09", "end_date": "2026-03-09", "clinic": str(other_clinic.pk)}
    assert client_for(doctor).get(IMPACT, query).status_code == 400


@pytest.mark.parametrize("persona", ["patient", "receptionist", "clinic_owner"])
def test_only_doctors_read_an_impact(client_for, persona, request, clock):
    query = {"start_date": "2026-03-09", "end_date": "2026-03-09"}
    assert client_for(request.getfixturevalue(persona)).get(IMPACT, query).status_code == 403


def test_a_leave_over_bookings_without_on_conflict_is_a_409_listing_them(
    client_for, doctor, two_bookings
):
    response = client_for(doctor).post(LEAVES, leave_body(), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "leave_has_appointments"
    assert [row["id"] for row in body["appointments"]] == [a.pk for a in two_bookings]
    assert not DoctorLeave.objects.exists()
    assert set(Appointment.objects.values_list("status", flat=True)) == {"pending"}


def test_a_leave_touching_no_booking_answers_as_before(client_for, doctor, monday_window):
    response = client_for(doctor).post(LEAVES, leave_body(reason="Conference"), format="json")

    assert response.status_code == 201
    leave = DoctorLeave.objects.get()
    assert response.json() == {
        "id": leave.pk,
        "clinic": None,
        "clinic_name": None,
        "start_date": "2026-03-09",
        "end_date": "2026-03-09",
        "reason": "Conference",
        "created_at": "2026-03-02T02:30:00Z",
    }


def test_an_unknown_on_conflict_is_a_400(client_for, doctor, two_bookings):
    response = client_for(doctor).post(LEAVES, leave_body(on_conflict="ignore"), format="json")
    assert response.status_code == 400
    assert "on_conflict" in response.json()


def test_cancel_and_notify(client_for, doctor, patient, two_bookings):
    response = client_for(doctor).post(
        LEAVES, leave_body(on_conflict="cancel_and_notify"), format="json"
    )

    assert response.status_code == 201, response.json()
    for appointment in two_bookings:
        appointment.refresh_from_db()
        assert (appointment.status, appointment.cancellation_reason) == (
            "cancelled",
            "doctor_on_leave",
        )
        change = appointment.status_changes.last()
        assert (change.actor, change.to_status) == (doctor, "cancelled")
    notice = Notification.objects.get(recipient=patient, kind=Kind.DOCTOR_ON_LEAVE, channel="sms")
    assert notice.body == (
        "QuickCare: Dr. Suresh Yadav is on leave on 9 March 2026, so your appointment at 09:30 "
        "cannot go ahead. Next free times: 16 March 09:00, 16 March 09:15, 16 March 09:30. "
        "Please book again in the app."
    )
    assert not Notification.objects.filter(kind=Kind.APPOINTMENT_CANCELLED_BY_DOCTOR).exists()
    assert not WaitlistEntry.objects.exists()


def test_reschedule_offer_holds_the_nearest_free_slots_first_in_line(
    client_for, doctor, patient, other_patient, two_bookings, book, settings
):
    # Someone already waits for the following Monday: the displaced patients go first.
    waiting = WaitlistEntry.objects.create(
        patient=PatientFactory(),
        doctor=two_bookings[0].doctor,
        clinic=two_bookings[0].clinic,
        date=FOLLOWING_MONDAY,
    )

    response = client_for(doctor).post(
        LEAVES, leave_body(on_conflict="reschedule_offer"), format="json"
    )

    assert response.status_code == 201, response.json()
    entries = list(WaitlistEntry.objects.filter(source_appointment__isnull=False).order_by("id"))
    assert [(e.patient, e.date, e.offered_time, e.status) for e in entries] == [
        (patient, FOLLOWING_MONDAY, dt.time(9, 0), "offered"),
        (other_patient, FOLLOWING_MONDAY, dt.time(9, 15), "offered"),
    ]
    hold = dt.timedelta(minutes=settings.WAITLIST_LEAVE_HOLD_MINUTES)
    assert entries[0].offer_expires_at - entries[0].offered_at == hold
    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    assert {a.status for a in Appointment.objects.filter(pk__in=[a.pk for a in two_bookings])} == {
        "cancelled"
    }
    notice = Notification.objects.get(
        recipient=patient, kind=Kind.WAITLIST_LEAVE_OFFER, channel="sms"
    )
    assert notice.body == (
        "QuickCare: Dr. Suresh Yadav is on leave on 9 March 2026, so your appointment at 09:30 "
        "is cancelled. We are holding 16 March 09:00 for you until 2 March 20:00: accept it "
        "in the app."
    )
    assert not Notification.objects.filter(recipient=patient, kind=Kind.DOCTOR_ON_LEAVE).exists()

    accepted = client_for(patient).post(f"/api/appointments/waitlist/{entries[0].pk}/accept/")
    assert accepted.status_code == 201, accepted.json()
    body = accepted.json()
    assert (body["appointment_date"], body["appointment_time"], body["notes"]) == (
        "2026-03-16",
        "09:00",
        "Knee pain",
    )
    assert body["appointment_type"] == "follow_up"


def test_the_dashboard_shows_leaves_and_their_impact(
    client_for, doctor, patient, clinic_owner, clinic, two_bookings
):
    client_for(doctor).post(LEAVES, leave_body(on_conflict="reschedule_offer"), format="json")
    entry = WaitlistEntry.objects.get(patient=patient)
    client_for(patient).post(f"/api/appointments/waitlist/{entry.pk}/accept/")

    body = client_for(clinic_owner).get(f"/api/appointments/clinic/{clinic.pk}/dashboard/").json()

    leave = DoctorLeave.objects.get()
    assert body["leaves"] == [
        {
            "id": leave.pk,
            "doctor": {
                "id": leave.doctor_id,
                "user": {"id": str(doctor.pk), "name": "Dr. Suresh Yadav"},
                "specialty": "cardiology",
            },
            "clinic": None,
            "start_date": "2026-03-09",
            "end_date": "2026-03-09",
            "reason": "",
            "impact": {"cancelled": 2, "still_booked": 0, "rebooked": 1},
        }
    ]


def test_another_clinics_leaves_are_not_on_the_dashboard(
    client_for, clinic_owner, clinic, other_doctor_profile, clock
):
    DoctorLeave.objects.create(
        doctor=other_doctor_profile, start_date=NEXT_MONDAY, end_date=NEXT_MONDAY
    )

    body = client_for(clinic_owner).get(f"/api/appointments/clinic/{clinic.pk}/dashboard/").json()

    assert body["leaves"] == []


def test_a_doctor_typing_the_leave_reason_still_tells_the_patient(
    client_for, doctor, patient, two_bookings
):
    response = client_for(doctor).patch(
        f"/api/appointments/doctor/{two_bookings[0].pk}/",
        {"status": "cancelled", "cancellation_reason": "doctor_on_leave"},
        format="json",
    )

    assert response.status_code == 200
    assert Notification.objects.filter(
        recipient=patient, kind=Kind.APPOINTMENT_CANCELLED_BY_DOCTOR
    ).exists()
