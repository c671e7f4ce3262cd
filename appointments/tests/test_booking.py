"""POST /api/appointments/my/: a patient books a free slot of the slot engine, nothing else."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatusChange
from appointments.tests.conftest import BOOK_URL, IST, NEXT_MONDAY, booking_body
from appointments.tests.factories import AppointmentFactory
from clinic.models import ClinicMember
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorLeaveFactory
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_patient_books_a_free_slot(book, patient, doctor_profile, clinic):
    response = book(patient)

    assert response.status_code == 201, response.json()
    appointment = Appointment.objects.get()
    assert response.json() == {
        "id": appointment.pk,
        "doctor": {
            "id": doctor_profile.pk,
            "user": {"id": str(doctor_profile.user.pk), "name": "Dr. Suresh Yadav"},
            "specialty": "cardiology",
        },
        "clinic": {"id": str(clinic.pk), "name": "City Care Clinic", "city": "Jaipur"},
        "patient": {
            "id": str(patient.pk),
            "name": "Rahul Sharma",
            "contact": int(str(patient.contact)[3:]),
            "gender": "male",
            "age": 30,
        },
        "appointment_date": "2026-03-09",
        "appointment_time": "09:30",
        "starts_at": "2026-03-09T09:30:00+05:30",
        "timezone": "Asia/Kolkata",
        "appointment_type": "first_visit",
        "mode": "in_clinic",
        "status": "pending",
        "fee_charged": "500.00",
        "notes": "Chest pain since 2 days",
        "cancellation_reason": "",
        "is_paid": False,
        "created_at": "2026-03-02T02:30:00Z",
        "updated_at": "2026-03-02T02:30:00Z",
        "source": "app",
        "token": None,
        "queue_state": "expected",
        "arrived_at": None,
        "called_at": None,
        "started_at": None,
        "finished_at": None,
        "rescheduled_from": None,
        "rescheduled_to": None,
        "history": [
            {
                "actor": {"id": str(patient.pk), "name": "Rahul Sharma", "role": "is_patient"},
                "from_status": None,
                "to_status": "pending",
                "reason": "",
                "changed_at": "2026-03-02T02:30:00Z",
            }
        ],
    }
    assert isinstance(response.json()["id"], int)
    assert appointment.clinic == clinic
    assert appointment.patient == patient


def test_follow_up_is_charged_the_follow_up_fee(book, patient):
    response = book(patient, appointment_type="follow_up")

    assert response.status_code == 201
    assert response.json()["fee_charged"] == "300.00"


def test_reason_is_accepted_as_the_patients_text(client_for, monday_window, patient):
    body = booking_body(monday_window.doctor_id)
    del body["notes"]
    body["reason"] = "Fever for a week"

    response = client_for(patient).post(BOOK_URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["notes"] == "Fever for a week"


def test_type_and_mode_default_to_a_first_visit_in_clinic(client_for, monday_window, patient):
    response = client_for(patient).post(
        BOOK_URL,
        {
            "doctor": monday_window.doctor_id,
            "appointment_date": "2026-03-09",
            "appointment_time": "09:00:00",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["appointment_type"], body["mode"], body["appointment_time"]) == (
        "first_visit",
        "in_clinic",
        "09:00",
    )


def test_video_is_booked_with_a_doctor_who_offers_it(book, patient, doctor_profile):
    doctor_profile.offers_video_consultation = True
    doctor_profile.save()

    response = book(patient, mode="video")

    assert response.status_code == 201
    assert response.json()["mode"] == "video"


def test_video_is_refused_when_the_doctor_offers_none(book, patient):
    response = book(patient, mode="video")

    assert response.status_code == 400
    assert response.json() == {
        "message": "This doctor does not offer video consultations; book in clinic instead.",
        "code": "video_not_offered",
    }
    assert not Appointment.objects.exists()


def test_booking_a_taken_slot_returns_409_with_the_next_free_slots(book, patient, other_patient):
    assert book(other_patient).status_code == 201

    response = book(patient)

    assert response.status_code == 409
    assert response.json() == {
        "message": "This slot is already booked; choose another slot.",
        "code": "booked",
        "next_available_slots": ["09:45", "10:00", "10:15", "10:30", "10:45"],
    }
    assert Appointment.objects.count() == 1


def test_the_last_slot_taken_offers_earlier_free_slots(book, patient, other_patient):
    assert book(other_patient, appointment_time="12:45").status_code == 201

    response = book(patient, appointment_time="12:45")

    assert response.status_code == 409
    assert response.json()["next_available_slots"] == ["09:00", "09:15", "09:30", "09:45", "10:00"]


def test_a_patient_cannot_hold_two_appointments_at_the_same_time(
    book, patient, other_doctor_profile, other_clinic
):
    AppointmentFactory(
        patient=patient,
        doctor=other_doctor_profile,
        clinic=other_clinic,
        appointment_date=NEXT_MONDAY,
        appointment_time=dt.time(9, 30),
    )

    response = book(patient)

    assert response.status_code == 409
    assert response.json() == {
        "message": "You already have an appointment at this date and time.",
        "code": "patient_already_booked",
        "next_available_slots": [],
    }


def test_a_cancelled_appointment_does_not_block_its_slot(book, patient, other_patient):
    first = book(other_patient)
    Appointment.objects.filter(pk=first.json()["id"]).update(status="cancelled")

    response = book(patient)

    assert response.status_code == 201


# --- refusals ---------------------------------------------------------------------------------


def test_a_past_date_is_refused(book, patient):
    response = book(patient, appointment_date="2026-02-23")

    assert response.status_code == 400
    assert response.json() == {
        "message": "This date is in the past; choose a date from today onwards.",
        "code": "past_date",
    }


def test_a_past_date_without_any_window_is_still_called_past(book, patient):
    response = book(patient, appointment_date="2026-03-01")  # a Sunday

    assert response.status_code == 400
    assert response.json()["code"] == "past_date"


def test_a_time_already_passed_today_is_refused(book, patient, clock):
    clock.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST))

    response = book(patient, appointment_date="2026-03-02", appointment_time="09:30")

    assert response.status_code == 400
    assert response.json() == {
        "message": "This time has already passed today; choose a later slot.",
        "code": "past_time",
        "next_available_slots": ["10:15", "10:30", "10:45", "11:00", "11:15"],
    }


def test_later_today_can_be_booked(book, patient, clock):
    clock.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST))

    assert book(patient, appointment_date="2026-03-02", appointment_time="10:15").status_code == 201


def test_a_time_off_the_slot_grid_is_refused(book, patient):
    response = book(patient, appointment_time="09:10")

    assert response.status_code == 400
    assert response.json() == {
        "message": "09:10 is not a slot start time; choose one of the free slots.",
        "code": "not_on_grid",
        "next_available_slots": ["09:15", "09:30", "09:45", "10:00", "10:15"],
    }


def test_a_time_outside_the_doctors_availability_is_refused(book, patient):
    response = book(patient, appointment_time="14:00")

    assert response.status_code == 400
    assert response.json() == {
        "message": "The doctor does not see patients at this time on this day.",
        "code": "outside_availability",
        "next_available_slots": ["09:00", "09:15", "09:30", "09:45", "10:00"],
    }


def test_a_day_without_availability_is_refused(book, patient):
    response = book(patient, appointment_date="2026-03-10")  # a Tuesday

    assert response.status_code == 400
    assert response.json()["code"] == "outside_availability"
    assert response.json()["next_available_slots"] == []


def test_a_doctor_on_leave_is_refused(book, patient, doctor_profile):
    DoctorLeaveFactory(doctor=doctor_profile, start_date=NEXT_MONDAY, end_date=NEXT_MONDAY)

    response = book(patient)

    assert response.status_code == 400
    assert response.json() == {
        "message": "The doctor is on leave on this date; choose another date.",
        "code": "on_leave",
    }


def test_a_full_window_is_refused_with_409(client_for, clock, doctor_profile, clinic, patient):
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(10, 0),
        slot_duration_minutes=15,
        max_patients=2,
    )
    for time in ("09:00", "09:15"):
        client_for(PatientFactory()).post(
            BOOK_URL, booking_body(doctor_profile.pk, appointment_time=time), format="json"
        )

    response = client_for(patient).post(
        BOOK_URL, booking_body(doctor_profile.pk, appointment_time="09:45"), format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "message": "All appointments in this session are taken; choose another slot.",
        "code": "window_full",
        "next_available_slots": [],
    }
    assert Appointment.objects.count() == 2


def test_a_date_beyond_the_booking_horizon_is_refused(book, patient):
    assert book(patient, appointment_date="2026-05-25").status_code == 201  # 84 days ahead

    response = book(patient, appointment_date="2026-06-01")  # 91 days ahead

    assert response.status_code == 400
    assert response.json() == {
        "message": "Appointments can only be booked up to 90 days ahead.",
        "code": "beyond_horizon",
    }


def test_a_doctor_who_left_the_clinic_cannot_be_booked(book, patient, doctor_profile):
    ClinicMember.objects.filter(user=doctor_profile.user).update(
        status="inactive", left_at=dt.date(2026, 3, 1)
    )

    response = book(patient)

    assert response.status_code == 400
    assert response.json() == {
        "message": "This doctor is not practising at any clinic at the moment, so appointments "
        "cannot be booked with them.",
        "code": "doctor_not_in_clinic",
    }


def test_a_doctor_of_a_closed_clinic_cannot_be_booked(book, patient, clinic):
    clinic.is_active = False
    clinic.save()

    response = book(patient)

    assert response.status_code == 400
    assert response.json()["code"] == "doctor_not_in_clinic"


def test_an_unknown_doctor_is_refused(book, patient, doctor_profile):
    response = book(patient, doctor=doctor_profile.pk + 1000)

    assert response.status_code == 400
    assert response.json() == {"message": "Doctor not found.", "code": "doctor_not_found"}


@pytest.mark.parametrize("persona", ["doctor", "clinic_owner", "receptionist", "lab_member"])
def test_only_patients_book(book, persona, request):
    user = request.getfixturevalue(persona)

    response = book(user)

    assert response.status_code == 403
    assert response.json()["message"] == "Only patients can do this."
    assert not Appointment.objects.exists()


def test_booking_needs_a_token(api_client, monday_window):
    response = api_client.post(BOOK_URL, booking_body(monday_window.doctor_id), format="json")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doctor", "abc"),
        ("doctor", 2**70),
        ("doctor", None),
        ("appointment_date", "2026-02-30"),
        ("appointment_date", "09/03/2026"),
        ("appointment_time", "9am"),
        ("appointment_time", "25:00"),
        ("appointment_type", "surgery"),
        ("mode", "phone"),
        ("notes", "x" * 2001),
    ],
)
def test_malformed_bodies_get_400_naming_the_field(book, patient, field, value):
    response = book(patient, **{field: value})

    assert response.status_code == 400
    assert field in response.json()
    assert not Appointment.objects.exists()


def test_a_body_that_is_not_an_object_gets_400(client_for, patient, monday_window):
    response = client_for(patient).post(BOOK_URL, [1, 2], format="json")

    assert response.status_code == 400


def test_booking_records_nothing_when_refused(book, patient):
    book(patient, appointment_time="09:10")

    assert not AppointmentStatusChange.objects.exists()


def test_booking_my_own_slot_again_says_so(book, patient):
    assert book(patient).status_code == 201

    response = book(patient)

    assert response.status_code == 409
    assert response.json() == {
        "message": "You already have an appointment at this date and time.",
        "code": "patient_already_booked",
        "next_available_slots": [],
    }


@pytest.mark.parametrize(
    ("date", "code"), [("0001-01-01", "past_date"), ("9999-12-31", "beyond_horizon")]
)
def test_extreme_dates_are_refused_cleanly(book, patient, date, code):
    response = book(patient, appointment_date=date)

    assert response.status_code == 400
    assert response.json()["code"] == code


@pytest.mark.parametrize(("field", "value"), [("doctor", 0), ("notes", None), ("mode", None)])
def test_zero_and_null_values_are_a_400(book, patient, field, value):
    response = book(patient, **{field: value})

    assert response.status_code == 400
    assert field in response.json()
