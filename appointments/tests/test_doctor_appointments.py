"""GET /api/appointments/doctor/ and GET|PATCH /api/appointments/doctor/<id>/."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from appointments.models import Appointment, AppointmentStatusChange
from appointments.services import TRANSITIONS
from appointments.tests.conftest import IST
from appointments.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/appointments/doctor/"
STATUSES = ["pending", "confirmed", "completed", "cancelled", "no_show"]
ALLOWED = {
    ("pending", "confirmed"),
    ("pending", "cancelled"),
    ("confirmed", "completed"),
    ("confirmed", "cancelled"),
    ("confirmed", "no_show"),
}
AFTER_THE_APPOINTMENT = dt.datetime(2026, 3, 9, 10, 0, tzinfo=IST)


def detail_url(appointment_id) -> str:
    return f"/api/appointments/doctor/{appointment_id}/"


@pytest.fixture
def appointment(clock, patient, doctor_profile, clinic):
    return AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)


# --- list -------------------------------------------------------------------------------------


def test_the_doctor_sees_only_their_own_appointments(
    client_for, appointment, doctor, other_doctor_profile, other_clinic, other_patient
):
    AppointmentFactory(patient=other_patient, doctor=other_doctor_profile, clinic=other_clinic)

    response = client_for(doctor).get(LIST_URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [appointment.pk]
    row = response.json()[0]
    assert row["patient"]["name"] == "Rahul Sharma"
    assert row["doctor_notes"] == ""


@pytest.fixture
def spread(clock, patient, doctor_profile, clinic):
    """Appointments on 5, 9 (two) and 16 March."""

    def make(date, time, status="pending"):
        return AppointmentFactory(
            patient=patient,
            doctor=doctor_profile,
            clinic=clinic,
            appointment_date=date,
            appointment_time=time,
            status=status,
        )

    return [
        make(dt.date(2026, 3, 5), dt.time(9, 0)),
        make(dt.date(2026, 3, 9), dt.time(10, 0), "confirmed"),
        make(dt.date(2026, 3, 9), dt.time(9, 0)),
        make(dt.date(2026, 3, 16), dt.time(9, 0), "cancelled"),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0, 2, 1, 3]),
        ({"date": "2026-03-09"}, [2, 1]),
        ({"status": "confirmed"}, [1]),
        ({"from_date": "2026-03-09"}, [2, 1, 3]),
        ({"to_date": "2026-03-09"}, [0, 2, 1]),
        ({"from_date": "2026-03-06", "to_date": "2026-03-15"}, [2, 1]),
        ({"date": "2026-03-09", "status": "pending"}, [2]),
    ],
)
def test_the_doctor_list_filters(client_for, doctor, spread, params, expected):
    response = client_for(doctor).get(LIST_URL, params)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [spread[i].pk for i in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2026-02-30"},
        {"date": "yesterday"},
        {"from_date": "09-03-2026"},
        {"to_date": "2026-13-01"},
        {"status": "done"},
    ],
)
def test_malformed_filters_are_a_400(client_for, doctor, params):
    response = client_for(doctor).get(LIST_URL, params)

    assert response.status_code == 400
    assert next(iter(params)) in response.json()


@pytest.mark.parametrize("rows", [2, 10])
def test_the_doctor_list_runs_a_constant_number_of_queries(
    client_for, clock, doctor, doctor_profile, clinic, django_assert_num_queries, rows
):
    for i in range(rows):
        AppointmentFactory(
            doctor=doctor_profile, clinic=clinic, appointment_time=dt.time(9 + i // 4, 15 * (i % 4))
        )
    client = client_for(doctor)

    with django_assert_num_queries(2):  # user (token), a short page (no COUNT)
        response = client.get(LIST_URL)

    assert len(response.json()) == rows
    assert all(row["starts_at"] and row["timezone"] for row in response.json())


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "receptionist", "lab_member"])
def test_only_doctors_read_the_doctor_list(client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(LIST_URL)

    assert response.status_code == 403


# --- detail and transitions -------------------------------------------------------------------


def test_the_doctor_reads_the_detail_with_history(client_for, appointment, doctor):
    response = client_for(doctor).get(detail_url(appointment.pk))

    assert response.status_code == 200
    assert response.json()["id"] == appointment.pk
    assert response.json()["history"] == []
    assert response.json()["doctor_notes"] == ""


def test_another_doctors_appointment_is_404(client_for, appointment, other_doctor):
    client = client_for(other_doctor)

    assert client.get(detail_url(appointment.pk)).status_code == 404
    response = client.patch(detail_url(appointment.pk), {"status": "confirmed"}, format="json")
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "pending"


def test_the_transition_table_is_the_designed_one():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in itertools.product(STATUSES, STATUSES) if pair[0] != pair[1]],
)
def test_every_transition_pair(
    client_for, clock, patient, doctor, doctor_profile, clinic, from_status, to_status
):
    appointment = AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, status=from_status
    )
    clock.move_to(AFTER_THE_APPOINTMENT)

    response = client_for(doctor).patch(
        detail_url(appointment.pk), {"status": to_status}, format="json"
    )

    appointment.refresh_from_db()
    if (from_status, to_status) in ALLOWED:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == to_status
        assert appointment.status == to_status
        assert response.json()["history"] == [
            {
                "actor": {"id": str(doctor.pk), "name": "Dr. Suresh Yadav", "role": "is_doctor"},
                "from_status": from_status,
                "to_status": to_status,
                "reason": "",
                "changed_at": "2026-03-09T04:30:00Z",
            }
        ]
    else:
        assert response.status_code == 400
        assert response.json() == {
            "message": f"An appointment that is {from_status} cannot be changed to {to_status}.",
            "code": "invalid_transition",
            "allowed_transitions": list(TRANSITIONS[from_status]),
        }
        assert appointment.status == from_status
        assert not AppointmentStatusChange.objects.exists()


@pytest.mark.parametrize("status", STATUSES)
def test_resending_the_current_status_changes_nothing(
    client_for, clock, patient, doctor, doctor_profile, clinic, status
):
    appointment = AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, status=status
    )

    response = client_for(doctor).patch(
        detail_url(appointment.pk), {"status": status, "notes": "Seen before"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert response.json()["doctor_notes"] == "Seen before"
    assert not AppointmentStatusChange.objects.exists()


@pytest.fixture
def confirmed(clock, patient, doctor_profile, clinic):
    """Confirmed, Monday 9 March 2026 at 09:30 clinic time."""
    return AppointmentFactory(
        patient=patient, doctor=doctor_profile, clinic=clinic, status="confirmed"
    )


def mark(client_for, clock, doctor, appointment, outcome, at):
    clock.move_to(at)
    return client_for(doctor).patch(detail_url(appointment.pk), {"status": outcome}, format="json")


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.datetime(2026, 3, 2, 8, 0, tzinfo=IST), 400),  # a week before
        (dt.datetime(2026, 3, 8, 23, 59, 59, tzinfo=IST), 400),  # the evening before
        (dt.datetime(2026, 3, 9, 0, 0, tzinfo=IST), 200),  # the day has begun
        (dt.datetime(2026, 3, 9, 8, 10, tzinfo=IST), 200),  # seen early, before 09:30
        (dt.datetime(2026, 3, 12, 18, 0, tzinfo=IST), 200),  # recorded days later
    ],
)
def test_completed_is_allowed_from_the_start_of_the_appointments_day(
    client_for, clock, doctor, confirmed, at, expected
):
    response = mark(client_for, clock, doctor, confirmed, "completed", at)

    assert response.status_code == expected
    confirmed.refresh_from_db()
    assert confirmed.status == ("completed" if expected == 200 else "confirmed")


def test_completing_before_the_day_says_when_it_can_be_done(client_for, clock, doctor, confirmed):
    response = mark(
        client_for,
        clock,
        doctor,
        confirmed,
        "completed",
        dt.datetime(2026, 3, 8, 20, 0, tzinfo=IST),
    )

    assert response.status_code == 400
    assert response.json() == {
        "message": "An appointment can only be marked completed from its day "
        "(2026-03-09, clinic time).",
        "code": "appointment_not_started",
        "allowed_transitions": ["cancelled"],
        "allowed_from": "2026-03-09T00:00:00+05:30",
    }
    assert not AppointmentStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.datetime(2026, 3, 9, 0, 0, tzinfo=IST), 400),
        (dt.datetime(2026, 3, 9, 9, 30, tzinfo=IST), 400),  # its time, the patient may be late
        (dt.datetime(2026, 3, 9, 9, 44, 59, tzinfo=IST), 400),
        (dt.datetime(2026, 3, 9, 9, 45, tzinfo=IST), 200),  # 09:30 + 15 minutes of grace
        (dt.datetime(2026, 3, 10, 9, 0, tzinfo=IST), 200),
    ],
)
def test_no_show_waits_for_the_time_plus_the_grace_period(
    client_for, clock, doctor, confirmed, at, expected
):
    response = mark(client_for, clock, doctor, confirmed, "no_show", at)

    assert response.status_code == expected
    confirmed.refresh_from_db()
    assert confirmed.status == ("no_show" if expected == 200 else "confirmed")


def test_an_early_no_show_says_when_it_can_be_recorded(client_for, clock, doctor, confirmed):
    response = mark(
        client_for, clock, doctor, confirmed, "no_show", dt.datetime(2026, 3, 9, 9, 40, tzinfo=IST)
    )

    assert response.status_code == 400
    assert response.json() == {
        "message": "An appointment can only be marked no_show once 15 minutes have passed "
        "since its start (09:30, clinic time).",
        "code": "appointment_not_started",
        "allowed_transitions": ["completed", "cancelled"],
        "allowed_from": "2026-03-09T09:45:00+05:30",
    }


@pytest.mark.parametrize(
    ("grace", "refused", "allowed"), [(60, (10, 29), (10, 30)), (0, None, (9, 30))]
)
def test_the_grace_period_is_a_setting(
    client_for, clock, doctor, confirmed, settings, grace, refused, allowed
):
    settings.NO_SHOW_GRACE_MINUTES = grace
    if refused:
        at = dt.datetime(2026, 3, 9, *refused, tzinfo=IST)
        assert mark(client_for, clock, doctor, confirmed, "no_show", at).status_code == 400

    at = dt.datetime(2026, 3, 9, *allowed, tzinfo=IST)
    assert mark(client_for, clock, doctor, confirmed, "no_show", at).status_code == 200


def test_the_default_grace_period_is_15_minutes():
    from quickcare import settings as production

    assert production.NO_SHOW_GRACE_MINUTES == 15


NEW_YORK = ZoneInfo("America/New_York")  # UTC-4 on 9 March 2026 (daylight time since the 8th)


@pytest.mark.parametrize(
    ("outcome", "at", "expected"),
    [
        # 09:29 in Jaipur is still the 8th in New York (23:59): not the appointment's day yet.
        ("completed", dt.datetime(2026, 3, 9, 9, 29, tzinfo=IST), 400),
        ("completed", dt.datetime(2026, 3, 9, 0, 0, tzinfo=NEW_YORK), 200),
        # 09:30 New York + 15 minutes = 13:45 UTC (19:15 in Jaipur).
        ("no_show", dt.datetime(2026, 3, 9, 9, 44, tzinfo=NEW_YORK), 400),
        ("no_show", dt.datetime(2026, 3, 9, 19, 14, tzinfo=IST), 400),
        ("no_show", dt.datetime(2026, 3, 9, 9, 45, tzinfo=NEW_YORK), 200),
    ],
)
def test_outcome_times_are_the_clinics_local_times(
    client_for, clock, doctor, confirmed, clinic, outcome, at, expected
):
    clinic.timezone = "America/New_York"
    clinic.save(update_fields=["timezone"])

    response = mark(client_for, clock, doctor, confirmed, outcome, at)

    assert response.status_code == expected, response.json()
    if expected == 400:
        allowed_from = {
            "completed": "2026-03-09T00:00:00-04:00",
            "no_show": "2026-03-09T09:45:00-04:00",
        }
        assert response.json()["allowed_from"] == allowed_from[outcome]


def test_an_invalid_transition_lists_what_is_allowed_now(client_for, clock, doctor, confirmed):
    response = client_for(doctor).patch(
        detail_url(confirmed.pk), {"status": "pending"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["allowed_transitions"] == ["cancelled"]  # a week before its day


def test_the_doctor_cancels_with_a_reason(client_for, appointment, doctor):
    response = client_for(doctor).patch(
        detail_url(appointment.pk),
        {"status": "cancelled", "cancellation_reason": "Emergency surgery"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["cancellation_reason"] == "Emergency surgery"
    assert response.json()["history"][0]["reason"] == "Emergency surgery"


def test_the_doctor_keeps_notes_and_payment(client_for, appointment, doctor):
    response = client_for(doctor).patch(
        detail_url(appointment.pk), {"notes": "BP 130/85", "is_paid": True}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["doctor_notes"], response.json()["is_paid"]) == ("BP 130/85", True)
    assert response.json()["notes"] == "Chest pain since 2 days"  # the patient's text stays
    appointment.refresh_from_db()
    assert (appointment.doctor_notes, appointment.is_paid) == ("BP 130/85", True)


def test_doctor_notes_are_not_shown_to_the_patient(client_for, appointment, doctor, patient):
    client_for(doctor).patch(detail_url(appointment.pk), {"notes": "BP 130/85"}, format="json")

    response = client_for(patient).get(f"/api/appointments/my/{appointment.pk}/")

    assert "doctor_notes" not in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "done"},
        {"is_paid": "maybe"},
        {"is_paid": None},
        {"notes": "x" * 2001},
        {"cancellation_reason": "no status"},
        {"appointment_time": "10:00"},
        {"fee_charged": 0},
    ],
)
def test_bad_doctor_updates_are_a_400(client_for, appointment, doctor, body):
    response = client_for(doctor).patch(detail_url(appointment.pk), body, format="json")

    assert response.status_code == 400
    appointment.refresh_from_db()
    assert (appointment.status, appointment.fee_charged, appointment.is_paid) == (
        "pending",
        500,
        False,
    )


@pytest.mark.parametrize("target", ["confirmed", "completed"])
def test_a_patient_cannot_confirm_or_complete(client_for, appointment, patient, target):
    patient_view = client_for(patient).patch(
        f"/api/appointments/my/{appointment.pk}/", {"status": target}, format="json"
    )
    doctor_view = client_for(patient).patch(
        detail_url(appointment.pk), {"status": target}, format="json"
    )

    assert patient_view.status_code == 400
    assert doctor_view.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "pending"


def test_a_doctor_who_left_the_clinic_still_runs_their_appointments(
    client_for, appointment, doctor
):
    doctor.clinic_memberships.update(status="inactive", left_at=dt.date(2026, 3, 2))

    response = client_for(doctor).patch(
        detail_url(appointment.pk), {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 200
    assert Appointment.objects.get().status == "cancelled"
