"""ETA moves told to the patient once per move, and `queue_sweep`: no-shows without paperwork
(history actor "system") and late ETAs no queue event announced."""

import datetime as dt

import pytest
from django.core.management import call_command

from appointments.models import AppointmentStatusChange
from appointments.queue.sweep import mark_no_shows
from appointments.tests.queue_helpers import (
    NEXT_URL,
    OPD_NOW,
    at,
    booked,
    check_in_url,
    my_queue_url,
    start_url,
)
from notifications.models import Channel, Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd(clock, monday_window):
    clock.move_to(OPD_NOW)
    return monday_window


def eta_notices(user) -> list[Notification]:
    return list(
        Notification.objects.filter(
            recipient=user, kind=Kind.QUEUE_ETA_MOVED, channel=Channel.INAPP
        ).order_by("id")
    )


@pytest.fixture
def long_consultation(opd, client_for, receptionist, doctor, doctor_profile, clinic, patient):
    """10:02: the 10:00 patient is being seen; `patient` (10:15) waits, told nothing yet."""
    first = booked(doctor_profile, clinic, hour=10, minute=0)
    mine = booked(doctor_profile, clinic, hour=10, minute=15, patient=patient)
    desk = client_for(receptionist)
    desk.post(check_in_url(first.pk))
    desk.post(check_in_url(mine.pk))
    doc = client_for(doctor)
    doc.post(NEXT_URL)
    doc.post(start_url(first.pk))
    return mine


def a_queue_event(clock, client_for, receptionist, doctor_profile, clinic, moment, slot):
    """Someone booked for late in the morning (at `slot`) checks in at `moment`."""
    clock.move_to(moment)
    later = booked(doctor_profile, clinic, hour=slot[0], minute=slot[1])
    assert client_for(receptionist).post(check_in_url(later.pk)).status_code == 200


def test_an_eta_move_over_15_minutes_is_told_once_per_move(
    clock, long_consultation, client_for, receptionist, doctor_profile, clinic, patient
):
    assert eta_notices(patient) == []  # ETA 10:15 = the appointment time: nothing to tell

    a_queue_event(clock, client_for, receptionist, doctor_profile, clinic, at(10, 40), (11, 30))
    assert len(eta_notices(patient)) == 1  # 10:40 against 10:15: 25 minutes
    assert "now expected at 10:40" in eta_notices(patient)[0].body
    assert "(token 2)" in eta_notices(patient)[0].body

    a_queue_event(clock, client_for, receptionist, doctor_profile, clinic, at(10, 50), (11, 45))
    assert len(eta_notices(patient)) == 1  # 10:50 against 10:40 told: 10 minutes

    a_queue_event(clock, client_for, receptionist, doctor_profile, clinic, at(10, 56), (12, 0))
    notices = eta_notices(patient)
    assert len(notices) == 2  # 10:56 against 10:40: 16 minutes, a second move
    assert "now expected at 10:56" in notices[1].body
    mine = client_for(patient).get(my_queue_url(long_consultation.pk)).json()
    assert mine["eta"] == "2026-03-02T05:26:00Z"
    assert mine["doctor_running_late_minutes"] == 41


def test_the_sweep_announces_a_move_no_event_did(
    clock, long_consultation, patient, client_for, receptionist, doctor_profile, clinic
):
    clock.move_to(at(10, 45))

    call_command("queue_sweep")
    call_command("queue_sweep")  # once per move, however often it runs

    assert len(eta_notices(patient)) == 1


def test_a_walk_ins_first_eta_is_recorded_silently(opd, client_for, receptionist, doctor_profile):
    response = client_for(receptionist).post(
        "/api/appointments/walk-in/",
        {"doctor": doctor_profile.pk, "contact": "9812345670", "name": "A"},
        format="json",
    )

    assert response.status_code == 201
    assert not Notification.objects.filter(kind=Kind.QUEUE_ETA_MOVED).exists()


# --- no-shows ----------------------------------------------------------------------------------


@pytest.fixture
def morning(opd, clinic, doctor_profile, receptionist, client_for):
    """At 10:02: a confirmed 09:00 booking never checked in, one checked in at 09:15, a pending
    09:30, and a confirmed 09:50 (not past the 15-minute grace yet)."""
    missed = booked(doctor_profile, clinic, hour=9, minute=0)
    arrived = booked(doctor_profile, clinic, hour=9, minute=15)
    pending = booked(doctor_profile, clinic, hour=9, minute=30, status="pending")
    recent = booked(doctor_profile, clinic, hour=9, minute=50)
    client_for(receptionist).post(check_in_url(arrived.pk))
    return missed, arrived, pending, recent


def test_no_shows_are_off_by_default(morning):
    assert mark_no_shows() == 0


def test_confirmed_never_checked_in_become_no_show_after_time_and_grace(clock, morning, clinic):
    missed, arrived, pending, recent = morning
    clinic.auto_no_show_after_minutes = 30
    clinic.save()

    call_command("queue_sweep")

    for appointment in (missed, arrived, pending, recent):
        appointment.refresh_from_db()
    assert missed.status == "no_show"  # 09:00 + 30 <= 10:02
    assert (arrived.status, pending.status, recent.status) == ("confirmed", "pending", "confirmed")
    change = AppointmentStatusChange.objects.get(appointment=missed)
    assert change.actor is None
    assert change.reason == "system: not checked in within 30 minutes of the appointment time"
    clock.move_to(at(10, 21))
    assert mark_no_shows() == 1  # 09:50 + 30 = 10:20
    recent.refresh_from_db()
    assert recent.status == "no_show"


def test_the_grace_is_never_shorter_than_the_doctors_own_rule(clock, morning, clinic, settings):
    *_, recent = morning
    clinic.auto_no_show_after_minutes = 0
    clinic.save()
    settings.NO_SHOW_GRACE_MINUTES = 15

    clock.move_to(at(10, 4))
    assert mark_no_shows() == 1  # only 09:00: 09:50 + 15 = 10:05 is still to come
    clock.move_to(at(10, 5))
    assert mark_no_shows() == 1
    recent.refresh_from_db()
    assert recent.status == "no_show"


def test_the_system_actor_shows_as_null_in_the_history(clock, morning, clinic, client_for, doctor):
    missed, *_ = morning
    clinic.auto_no_show_after_minutes = 30
    clinic.save()
    mark_no_shows()

    history = client_for(doctor).get(f"/api/appointments/doctor/{missed.pk}/").json()["history"]

    assert history[-1]["actor"] is None
    assert history[-1]["to_status"] == "no_show"
    assert history[-1]["reason"].startswith("system:")


def test_old_days_are_left_alone(clock, clinic, doctor_profile):
    old = booked(doctor_profile, clinic, hour=9, minute=0)
    old.appointment_date -= dt.timedelta(days=7)
    old.save()
    clinic.auto_no_show_after_minutes = 30
    clinic.save()
    clock.move_to(OPD_NOW)

    assert mark_no_shows() == 0
