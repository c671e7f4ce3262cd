"""A morning at the front desk through the API: check-in, the queue's order with walk-ins
between booked patients, the doctor's calls, skipping, the queue views and who may see them."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatusChange
from appointments.tests.conftest import TODAY
from appointments.tests.factories import AppointmentFactory
from appointments.tests.queue_helpers import (
    NEXT_URL,
    OPD_NOW,
    QUEUE_URL,
    WALK_IN_URL,
    at,
    booked,
    check_in_url,
    finish_url,
    my_queue_url,
    skip_url,
    start_url,
)
from clinic.tests.factories import ClinicMemberFactory
from users.tests.factories import PatientFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd(clock, monday_window):
    clock.move_to(OPD_NOW)
    return monday_window


@pytest.fixture
def desk(opd, client_for, receptionist):
    return client_for(receptionist)


def queue(client, doctor_profile, **params):
    return client.get(QUEUE_URL, {"doctor": doctor_profile.pk, **params})


def line_tokens(response) -> list[int]:
    return [e["token"] for e in response.json()["entries"] if e["position"] is not None]


def test_check_in_confirms_a_pending_booking_and_issues_the_next_token(
    desk, receptionist, doctor_profile, clinic
):
    appointment = booked(doctor_profile, clinic, hour=10, minute=30, status="pending")

    response = desk.post(check_in_url(appointment.pk))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["queue_state"], body["token"]) == ("confirmed", "waiting", 1)
    assert body["arrived_at"] == "2026-03-02T04:32:00Z"
    change = AppointmentStatusChange.objects.get(to_status="confirmed")
    assert (change.actor, change.reason) == (receptionist, "checked in")
    appointment.refresh_from_db()
    assert appointment.queue_due_at == at(10, 30)  # early: due at the slot


def test_check_in_twice_is_409_and_other_days_or_states_are_400(desk, doctor_profile, clinic):
    appointment = booked(doctor_profile, clinic, hour=10, minute=30)
    assert desk.post(check_in_url(appointment.pk)).status_code == 200

    again = desk.post(check_in_url(appointment.pk))
    tomorrow = AppointmentFactory(
        doctor=doctor_profile, clinic=clinic, appointment_date=TODAY + dt.timedelta(days=7)
    )
    cancelled = booked(doctor_profile, clinic, hour=11, minute=0, status="cancelled")

    assert (again.status_code, again.json()["code"]) == (409, "already_checked_in")
    later = desk.post(check_in_url(tomorrow.pk))
    assert (later.status_code, later.json()["code"]) == (400, "not_today")
    gone = desk.post(check_in_url(cancelled.pk))
    assert (gone.status_code, gone.json()["code"]) == (400, "appointment_not_active")


def test_the_queue_order_puts_walk_ins_between_booked_patients(
    clock, desk, client_for, doctor, doctor_profile, clinic
):
    # Booked 10:15 (arrives early), 10:45 (arrives early), 09:45 (arrives late, at 10:05);
    # a walk-in at 10:04 takes the free 10:30 slot.
    early = booked(doctor_profile, clinic, hour=10, minute=15)
    later = booked(doctor_profile, clinic, hour=10, minute=45)
    late = booked(doctor_profile, clinic, hour=9, minute=45)
    desk.post(check_in_url(early.pk))  # token 1 at 10:02
    desk.post(check_in_url(later.pk))  # token 2 at 10:02
    clock.move_to(at(10, 4))
    walk = desk.post(
        WALK_IN_URL,
        {"doctor": doctor_profile.pk, "contact": "9812345670", "name": "Walk In"},
        format="json",
    )
    assert (walk.json()["appointment_time"], walk.json()["token"]) == ("10:30", 3)
    clock.move_to(at(10, 5))
    desk.post(check_in_url(late.pk))  # token 4 at 10:05: due at its arrival

    response = queue(desk, doctor_profile)

    assert response.status_code == 200, response.json()
    # Due: late 10:05 (t4), early 10:15 (t1), walk-in 10:30 (t3), later 10:45 (t2).
    assert line_tokens(response) == [4, 1, 3, 2]
    assert [e["position"] for e in response.json()["entries"]][:4] == [1, 2, 3, 4]
    # The doctor calls in that order.
    doc = client_for(doctor)
    called = [doc.post(NEXT_URL).json()["called"]["token"] for _ in range(4)]
    assert called == [4, 1, 3, 2]


def test_next_finishes_the_one_in_consultation_and_skips_one_never_started(
    desk, client_for, doctor, doctor_profile, clinic
):
    first = booked(doctor_profile, clinic, hour=10, minute=0)
    second = booked(doctor_profile, clinic, hour=10, minute=15)
    third = booked(doctor_profile, clinic, hour=10, minute=30)
    for appointment in (first, second, third):
        desk.post(check_in_url(appointment.pk))
    doc = client_for(doctor)

    call = doc.post(NEXT_URL).json()
    assert (call["called"]["appointment"], call["previous"]) == (first.pk, None)
    assert doc.post(start_url(first.pk)).json()["queue_state"] == "in_consultation"

    call = doc.post(NEXT_URL).json()  # first: done and completed; second called
    assert (call["previous"], call["previous_queue_state"]) == (first.pk, "done")
    assert call["called"]["appointment"] == second.pk
    first.refresh_from_db()
    assert (first.status, first.queue_state) == ("completed", "done")
    assert first.finished_at == OPD_NOW
    assert first.started_at == OPD_NOW

    call = doc.post(NEXT_URL).json()  # second never started: skipped
    assert (call["previous"], call["previous_queue_state"]) == (second.pk, "skipped")
    assert call["called"]["appointment"] == third.pk
    second.refresh_from_db()
    assert (second.status, second.queue_state) == ("confirmed", "skipped")


def test_start_and_finish_complete_through_the_status_rules(
    desk, client_for, doctor, doctor_profile, clinic
):
    appointment = booked(doctor_profile, clinic, hour=10, minute=0)
    other = booked(doctor_profile, clinic, hour=10, minute=15)
    desk.post(check_in_url(appointment.pk))
    desk.post(check_in_url(other.pk))
    doc = client_for(doctor)

    not_started = doc.post(finish_url(appointment.pk))
    assert (not_started.status_code, not_started.json()["code"]) == (409, "queue_state_invalid")
    assert doc.post(start_url(appointment.pk)).status_code == 200
    busy = doc.post(start_url(other.pk))
    assert (busy.status_code, busy.json()["code"]) == (409, "consultation_in_progress")
    finished = doc.post(finish_url(appointment.pk))

    assert finished.status_code == 200
    assert (finished.json()["status"], finished.json()["queue_state"]) == ("completed", "done")
    history = finished.json()["history"][-1]
    assert (history["from_status"], history["to_status"]) == ("confirmed", "completed")
    assert history["actor"]["id"] == str(doctor.pk)


def test_a_skipped_patient_checks_in_again_with_their_token_from_that_moment(
    clock, desk, client_for, receptionist, doctor_profile, clinic
):
    first = booked(doctor_profile, clinic, hour=10, minute=15)
    second = booked(doctor_profile, clinic, hour=10, minute=30)
    desk.post(check_in_url(first.pk))
    desk.post(check_in_url(second.pk))

    assert desk.post(skip_url(first.pk)).json()["queue_state"] == "skipped"
    clock.move_to(at(10, 40))
    desk = client_for(receptionist)  # a fresh access token (they live 15 minutes)
    again = desk.post(check_in_url(first.pk))

    assert (again.status_code, again.json()["token"]) == (200, 1)
    assert line_tokens(queue(desk, doctor_profile)) == [2, 1]  # 10:30, then 10:40
    expected = booked(doctor_profile, clinic, hour=11, minute=0)
    not_here = desk.post(skip_url(expected.pk))
    assert (not_here.status_code, not_here.json()["code"]) == (409, "queue_state_invalid")


def test_the_staff_queue_in_three_statements_with_a_cache_header(
    desk, doctor_profile, clinic, django_assert_num_queries
):
    for minute in (0, 15, 30, 45):
        desk.post(check_in_url(booked(doctor_profile, clinic, hour=10, minute=minute).pk))
    booked(doctor_profile, clinic, hour=11, minute=0)

    with django_assert_num_queries(4):  # the user (token), then scope, rows, durations
        response = queue(desk, doctor_profile)

    body = response.json()
    assert response["Cache-Control"] == "private, max-age=5"
    assert (body["waiting"], body["now_serving"], body["consultation_minutes"]) == (4, None, 10)
    assert body["allow_overbooking"] is False
    assert len(body["entries"]) == 5
    # 10:02 now, nobody seen yet; the first (booked 10:00) arrived 10:02, so is due 10:02:
    # not late. ETAs: 10:02, then max(10:12, 10:15) = 10:15, 10:30, 10:45, 11:00.
    assert body["doctor_running_late_minutes"] == 0
    assert [e["eta"] for e in body["entries"]] == [
        "2026-03-02T04:32:00Z",
        "2026-03-02T04:45:00Z",
        "2026-03-02T05:00:00Z",
        "2026-03-02T05:15:00Z",
        "2026-03-02T05:30:00Z",
    ]


def test_the_patient_sees_their_own_position_in_three_statements(
    desk, client_for, patient, other_patient, doctor_profile, clinic, django_assert_num_queries
):
    ahead = booked(doctor_profile, clinic, hour=10, minute=0, patient=other_patient)
    mine = booked(doctor_profile, clinic, hour=10, minute=15, patient=patient)
    desk.post(check_in_url(ahead.pk))
    desk.post(check_in_url(mine.pk))
    me = client_for(patient)

    with django_assert_num_queries(4):  # the user (token), then appointment, rows, durations
        response = me.get(my_queue_url(mine.pk))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=5"
    assert response.json() == {
        "appointment": mine.pk,
        "token": 2,
        "queue_state": "waiting",
        "position": 2,
        "ahead": 1,
        "eta": "2026-03-02T04:45:00Z",  # 10:15: not before the slot (10:02 + 10 = 10:12)
        "doctor_running_late_minutes": 0,
        "now_serving": None,
    }
    # Someone else's appointment: 404, as if it did not exist.
    assert me.get(my_queue_url(ahead.pk)).status_code == 404
    assert client_for(other_patient).get(my_queue_url(ahead.pk)).json()["position"] == 1


def test_being_seen_is_position_zero_and_done_is_out_of_line(
    desk, client_for, doctor, patient, doctor_profile, clinic
):
    mine = booked(doctor_profile, clinic, hour=10, minute=0, patient=patient)
    desk.post(check_in_url(mine.pk))
    doc = client_for(doctor)
    doc.post(NEXT_URL)
    me = client_for(patient)

    seen = me.get(my_queue_url(mine.pk)).json()
    doc.post(NEXT_URL)  # nobody else: finishes nothing (called, not started: skipped)
    gone = me.get(my_queue_url(mine.pk)).json()

    assert (seen["position"], seen["ahead"], seen["now_serving"]) == (0, 0, 1)
    assert (gone["position"], gone["eta"], gone["queue_state"]) == (None, None, "skipped")


@pytest.fixture
def clinic_b(other_clinic, other_doctor_profile):
    booked_b = booked(other_doctor_profile, other_clinic, hour=10, minute=0)
    return other_clinic, other_doctor_profile, booked_b


def test_a_receptionist_of_clinic_a_gets_404_on_clinic_b(desk, clinic_b):
    _, doctor_b, appointment_b = clinic_b

    assert queue(desk, doctor_b).status_code == 404
    assert desk.post(check_in_url(appointment_b.pk)).status_code == 404
    assert desk.post(skip_url(appointment_b.pk)).status_code == 404
    assert desk.get(f"/api/appointments/{appointment_b.pk}/queue/").status_code == 404
    appointment_b.refresh_from_db()
    assert appointment_b.queue_state == "expected"


def test_removed_staff_and_other_doctors_get_404_patients_403(
    opd, client_for, clinic, doctor_profile, other_doctor, patient
):
    former = ReceptionistFactory()
    ClinicMemberFactory(clinic=clinic, user=former, member_role="receptionist", status="inactive")
    appointment = booked(doctor_profile, clinic, hour=10, minute=0)

    assert queue(client_for(former), doctor_profile).status_code == 404
    assert client_for(other_doctor).post(check_in_url(appointment.pk)).status_code == 404
    assert client_for(other_doctor).post(start_url(appointment.pk)).status_code == 404
    assert queue(client_for(patient), doctor_profile).status_code == 403
    assert client_for(patient).post(NEXT_URL).status_code == 403
    assert client_for(PatientFactory()).post(check_in_url(appointment.pk)).status_code == 403


def test_the_owner_and_the_doctor_see_the_queue(
    opd, client_for, clinic_owner, doctor, doctor_profile
):
    assert queue(client_for(clinic_owner), doctor_profile).status_code == 200
    assert queue(client_for(doctor), doctor_profile).status_code == 200


def test_bad_queue_parameters_are_400(desk, doctor_profile):
    assert desk.get(QUEUE_URL).status_code == 400
    assert queue(desk, doctor_profile, date="yesterday").status_code == 400
    assert desk.get(QUEUE_URL, {"doctor": "x"}).status_code == 400


def test_the_dashboard_gains_the_queue_per_doctor(
    clock, desk, client_for, clinic_owner, doctor, doctor_profile, clinic
):
    first = booked(doctor_profile, clinic, hour=10, minute=0)
    second = booked(doctor_profile, clinic, hour=10, minute=15)
    booked(doctor_profile, clinic, hour=10, minute=30)  # not arrived
    desk.post(check_in_url(first.pk))  # 10:02
    clock.move_to(at(10, 6))
    desk.post(check_in_url(second.pk))  # 10:06
    clock.move_to(at(10, 10))
    doc = client_for(doctor)
    doc.post(NEXT_URL)  # first called after 8 minutes
    doc.post(start_url(first.pk))
    clock.move_to(at(10, 22))
    doc.post(NEXT_URL)  # first done (12 min); second called after 16 minutes

    body = client_for(clinic_owner).get(f"/api/appointments/clinic/{clinic.pk}/dashboard/").json()

    assert body["queue"] == [
        {
            "doctor_id": doctor_profile.pk,
            "doctor_name": "Dr. Suresh Yadav",
            "tokens_issued": 2,
            "waiting": 0,
            "served": 1,
            "median_wait_minutes": 12.0,  # (8 + 16) / 2
            # In line: the 10:30 booking, seen after second (called: 12 min, the median).
            "running_late_minutes": 4,
        }
    ]
    assert Appointment.objects.get(pk=first.pk).status == "completed"


def test_completing_through_the_status_endpoint_ends_the_consultation_too(
    desk, client_for, doctor, doctor_profile, clinic
):
    appointment = booked(doctor_profile, clinic, hour=10, minute=0)
    desk.post(check_in_url(appointment.pk))
    doc = client_for(doctor)
    doc.post(start_url(appointment.pk))

    response = doc.patch(
        f"/api/appointments/doctor/{appointment.pk}/", {"status": "completed"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["queue_state"], response.json()["finished_at"]) == (
        "done",
        "2026-03-02T04:32:00Z",
    )
