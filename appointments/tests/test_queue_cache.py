"""The queue's reads take their inputs from the cache (appointments/queue/selectors.py): a
repeated read of the desk's queue costs no SQL, yet its ETAs follow the clock, and every queue
event, profile change, ended membership and consultation that ages out of the 30-day median
is seen by the very next read."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.models import Appointment
from appointments.tests.conftest import TODAY
from appointments.tests.queue_helpers import (
    OPD_NOW,
    QUEUE_URL,
    at,
    booked,
    check_in_url,
    my_queue_url,
)
from clinic.models import ClinicMember, MemberStatus
from users.models import PatientProfile
from users.tokens import issue_tokens

pytestmark = pytest.mark.django_db


def session(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user=user)['access']}")
    return client


@pytest.fixture
def opd(clock, monday_window, clock_driven_cache, settings):
    settings.RESPONSE_CACHE_TTL_SECONDS = 86400  # only writes and the clock end what is kept
    clock.move_to(OPD_NOW)
    return monday_window


@pytest.fixture
def desk(opd, receptionist) -> APIClient:
    return session(receptionist)


@pytest.fixture(params=["today", "named date"])
def params(request, doctor_profile) -> dict[str, Any]:
    """Both reads: the clinic's today by default (scope first), or a named date (one value)."""
    named = {"date": str(TODAY)} if request.param == "named date" else {}
    return {"doctor": doctor_profile.pk, **named}


@pytest.fixture
def read(params) -> Callable[..., tuple[dict[str, Any], int]]:
    def get(client: APIClient, doctor_profile: Any) -> tuple[dict[str, Any], int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE_URL, params)
        assert response.status_code == 200, response.content
        return response.json(), len(queries)

    return get


def test_a_repeated_read_costs_no_sql_and_its_etas_follow_the_clock(
    desk, clock, doctor_profile, clinic, receptionist, read
):
    for minute in (0, 15):
        desk.post(check_in_url(booked(doctor_profile, clinic, hour=10, minute=minute).pk))
    first, cost = read(desk, doctor_profile)
    assert cost >= 3
    again, cost = read(desk, doctor_profile)
    assert (again, cost) == (first, 0)
    clock.move_to(OPD_NOW + dt.timedelta(minutes=20))  # nobody called: the desk runs late
    later, cost = read(session(receptionist), doctor_profile)  # the old token has expired
    assert cost == 1  # the new token's user lookup: the queue's inputs come from the cache
    assert later["doctor_running_late_minutes"] > first["doctor_running_late_minutes"]
    assert later["entries"][0]["eta"] != first["entries"][0]["eta"]


def test_a_check_in_is_seen_by_the_next_read(desk, doctor_profile, clinic, read):
    arriving = booked(doctor_profile, clinic, hour=10, minute=30)
    before, _ = read(desk, doctor_profile)
    assert before["waiting"] == 0
    assert desk.post(check_in_url(arriving.pk)).status_code == 200
    after, _ = read(desk, doctor_profile)
    assert after["waiting"] == 1


def test_a_renamed_patient_is_seen_by_the_next_read(desk, doctor_profile, clinic, patient, read):
    booked(doctor_profile, clinic, hour=10, minute=30, patient=patient)
    read(desk, doctor_profile)
    profile = PatientProfile.objects.get(pk=patient.pk)
    profile.name = "Rahul K. Sharma"
    profile.save()
    body, _ = read(desk, doctor_profile)
    assert body["entries"][0]["patient_profile"]["name"] == "Rahul K. Sharma"


def test_an_ended_membership_is_refused_at_once(
    desk, doctor_profile, receptionist, clinic, read, params
):
    read(desk, doctor_profile)
    member = ClinicMember.objects.get(user=receptionist, clinic=clinic)
    member.status = MemberStatus.INACTIVE
    member.save()
    assert desk.get(QUEUE_URL, params).status_code == 404


def test_the_median_follows_finished_consultations_and_the_window(
    desk, clock, doctor_profile, clinic, receptionist, read
):
    old = booked(doctor_profile, clinic, hour=9, minute=0, status="completed")
    first, _ = read(desk, doctor_profile)
    assert first["consultation_minutes"] == 10  # the default: no history
    Appointment.objects.filter(pk=old.pk).update(
        started_at=at(9, 0) - dt.timedelta(days=29, hours=23),
        finished_at=at(9, 30) - dt.timedelta(days=29, hours=23),
    )
    seen, _ = read(desk, doctor_profile)
    assert seen["consultation_minutes"] == 30
    clock.move_to(OPD_NOW + dt.timedelta(hours=2))  # that consultation is now 30 days old
    aged, cost = read(session(receptionist), doctor_profile)
    assert aged["consultation_minutes"] == 10
    assert cost == 1  # the new token's user; the same stored spans, filtered by the clock


def test_the_patients_position_is_read_from_the_same_inputs(
    opd, receptionist, doctor_profile, clinic, patient
):
    mine = booked(doctor_profile, clinic, hour=10, minute=15, patient=patient)
    session(receptionist).post(check_in_url(mine.pk))
    me = session(patient)
    first = me.get(my_queue_url(mine.pk))
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = me.get(my_queue_url(mine.pk))
    assert again.json() == first.json()
    assert len(queries) == 1  # the appointment's scope; rows and durations from the cache
