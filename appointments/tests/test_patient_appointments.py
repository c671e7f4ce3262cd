"""GET /api/appointments/my/ and GET|PATCH|PUT /api/appointments/my/<id>/ (cancel only)."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatusChange
from appointments.slots import doctor_free_slots
from appointments.tests.conftest import BOOK_URL, IST, NEXT_MONDAY
from appointments.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def detail_url(appointment_id) -> str:
    return f"/api/appointments/my/{appointment_id}/"


@pytest.fixture
def appointment(book, patient):
    response = book(patient)
    assert response.status_code == 201
    return Appointment.objects.get(pk=response.json()["id"])


def make_appointments(n, *, patient, doctor_profile, clinic, start=dt.date(2026, 3, 9)):
    return [
        AppointmentFactory(
            patient=patient,
            doctor=doctor_profile,
            clinic=clinic,
            appointment_date=start + dt.timedelta(days=7 * (i // 10)),
            appointment_time=dt.time(9 + (i % 10) // 4, 15 * (i % 4)),
        )
        for i in range(n)
    ]


# --- list -------------------------------------------------------------------------------------


def test_the_list_holds_only_my_appointments_in_date_time_order(
    client_for, clock, patient, other_patient, doctor_profile, clinic
):
    late = AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, appointment_time=dt.time(11, 0)
    )
    early = AppointmentFactory(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=dt.date(2026, 3, 5),
        appointment_time=dt.time(12, 0),
    )
    same_day_earlier = AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, appointment_time=dt.time(9, 0)
    )
    AppointmentFactory(patient=other_patient, doctor=doctor_profile, clinic=clinic)

    response = client_for(patient).get(BOOK_URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [early.pk, same_day_earlier.pk, late.pk]
    assert response.headers["X-Total-Count"] == "3"
    row = response.json()[0]
    assert row["doctor"] == {
        "id": doctor_profile.pk,
        "user": {"id": str(doctor_profile.user.pk), "name": "Dr. Suresh Yadav"},
        "specialty": "cardiology",
    }
    assert row["appointment_time"] == "12:00"
    assert "history" not in row
    assert "doctor_notes" not in row


def test_the_list_filters_by_status(client_for, clock, patient, doctor_profile, clinic):
    AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic, status="pending")
    confirmed = AppointmentFactory(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        status="confirmed",
        appointment_time=dt.time(10, 0),
    )

    response = client_for(patient).get(BOOK_URL, {"status": "confirmed"})

    assert [row["id"] for row in response.json()] == [confirmed.pk]


def test_an_unknown_status_filter_is_a_400(client_for, patient):
    response = client_for(patient).get(BOOK_URL, {"status": "done"})

    assert response.status_code == 400
    assert "status" in response.json()


def test_the_list_is_paginated_with_headers(client_for, clock, patient, doctor_profile, clinic):
    make_appointments(5, patient=patient, doctor_profile=doctor_profile, clinic=clinic)

    response = client_for(patient).get(BOOK_URL, {"page_size": 2, "page": 2})

    assert len(response.json()) == 2
    assert response.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in response.headers["Link"]
    assert 'rel="prev"' in response.headers["Link"]


@pytest.mark.parametrize("rows", [2, 10])
def test_the_list_runs_a_constant_number_of_queries(
    client_for, clock, patient, doctor_profile, clinic, django_assert_num_queries, rows
):
    make_appointments(rows, patient=patient, doctor_profile=doctor_profile, clinic=clinic)
    client = client_for(patient)

    # user (token), page (a page shorter than full knows the total: core.pagination)
    with django_assert_num_queries(2):
        response = client.get(BOOK_URL)

    assert len(response.json()) == rows
    assert all(row["starts_at"] and row["timezone"] for row in response.json())


@pytest.mark.parametrize("persona", ["doctor", "clinic_owner", "receptionist"])
def test_other_roles_cannot_read_the_patient_list(client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(BOOK_URL)

    assert response.status_code == 403


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_carries_the_history(client_for, appointment, patient):
    response = client_for(patient).get(detail_url(appointment.pk))

    assert response.status_code == 200
    assert response.json()["id"] == appointment.pk
    assert response.json()["history"] == [
        {
            "actor": {"id": str(patient.pk), "name": "Rahul Sharma", "role": "is_patient"},
            "from_status": None,
            "to_status": "pending",
            "reason": "",
            "changed_at": "2026-03-02T02:30:00Z",
        }
    ]


def test_a_patient_cannot_see_another_patients_appointment(client_for, appointment, other_patient):
    response = client_for(other_patient).get(detail_url(appointment.pk))

    assert response.status_code == 404
    assert response.json() == {"message": "Appointment not found.", "code": "not_found"}


@pytest.mark.parametrize("path", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_non_integer_or_unknown_ids_are_404(client_for, patient, path):
    response = client_for(patient).get(f"/api/appointments/my/{path}/")

    assert response.status_code == 404


# --- cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_patient_cancels_with_a_reason(client_for, appointment, patient, method):
    response = getattr(client_for(patient), method)(
        detail_url(appointment.pk),
        {"status": "cancelled", "cancellation_reason": "Feeling better"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancellation_reason"] == "Feeling better"
    assert body["history"][-1] == {
        "actor": {"id": str(patient.pk), "name": "Rahul Sharma", "role": "is_patient"},
        "from_status": "pending",
        "to_status": "cancelled",
        "reason": "Feeling better",
        "changed_at": "2026-03-02T02:30:00Z",
    }


def test_cancelling_frees_the_slot_at_once(client_for, appointment, patient, other_patient):
    def free_times():
        return doctor_free_slots(
            doctor_id=appointment.doctor_id, clinic=appointment.clinic, date=NEXT_MONDAY
        ).free

    assert dt.time(9, 30) not in free_times()

    client_for(patient).patch(detail_url(appointment.pk), {"status": "cancelled"}, format="json")

    assert dt.time(9, 30) in free_times()
    rebook = client_for(other_patient).post(
        BOOK_URL,
        {
            "doctor": appointment.doctor_id,
            "appointment_date": "2026-03-09",
            "appointment_time": "09:30",
        },
        format="json",
    )
    assert rebook.status_code == 201


def test_a_confirmed_appointment_can_be_cancelled(client_for, appointment, patient):
    Appointment.objects.filter(pk=appointment.pk).update(status="confirmed")

    response = client_for(patient).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize("target", ["confirmed", "completed", "no_show", "pending", "CANCELLED"])
def test_a_patient_can_only_cancel(client_for, appointment, patient, target):
    response = client_for(patient).patch(
        detail_url(appointment.pk), {"status": target}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "status": ['Patients can only cancel an appointment: send {"status": "cancelled"}.']
    }
    appointment.refresh_from_db()
    assert appointment.status == "pending"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"cancellation_reason": "x"},
        {"status": "cancelled", "appointment_time": "10:00"},
        {"status": "cancelled", "notes": "changed"},
        {"status": "cancelled", "cancellation_reason": "x" * 2001},
        {"status": ["cancelled"]},
    ],
)
def test_anything_but_a_cancel_is_a_400(client_for, appointment, patient, body):
    response = client_for(patient).patch(detail_url(appointment.pk), body, format="json")

    assert response.status_code == 400
    appointment.refresh_from_db()
    assert (appointment.status, appointment.notes) == ("pending", "Chest pain since 2 days")


@pytest.mark.parametrize("status", ["completed", "cancelled", "no_show"])
def test_a_finished_appointment_cannot_be_cancelled(client_for, appointment, patient, status):
    Appointment.objects.filter(pk=appointment.pk).update(status=status)

    response = client_for(patient).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "message": f"This appointment is {status}; only pending or confirmed appointments can "
        "be cancelled.",
        "code": "not_cancellable",
    }


def test_a_started_appointment_cannot_be_cancelled(client_for, appointment, patient, clock):
    clock.move_to(dt.datetime(2026, 3, 9, 9, 30, tzinfo=IST))

    response = client_for(patient).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "appointment_started"
    assert AppointmentStatusChange.objects.filter(appointment=appointment).count() == 1


def test_a_minute_before_it_starts_it_can_still_be_cancelled(
    client_for, appointment, patient, clock
):
    clock.move_to(dt.datetime(2026, 3, 9, 9, 29, tzinfo=IST))

    response = client_for(patient).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 200


def test_a_patient_cannot_cancel_another_patients_appointment(
    client_for, appointment, other_patient
):
    response = client_for(other_patient).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "pending"


def test_a_doctor_cannot_use_the_patient_cancel(client_for, appointment, doctor):
    response = client_for(doctor).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 403
