"""The waitlist under real concurrency (PostgreSQL): two slots freeing at once go to two
different patients, and two holders accepting at once (with a stranger racing for a held
slot) each get their own slot and the stranger none."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from appointments.models import Appointment
from appointments.tests.conftest import BOOK_URL, NEXT_MONDAY, booking_body
from appointments.tests.factories import AppointmentFactory
from appointments.waitlist.models import WaitlistEntry
from core.testing import race
from doctors.tests.factories import DoctorAvailabilityFactory
from users.tests.factories import PatientFactory

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
URL = "/api/appointments/waitlist/"


def client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api


@pytest.fixture
def short_monday(clock, doctor_profile, clinic):
    """Two slots next Monday: 09:00 and 09:15."""
    return DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(9, 30),
        slot_duration_minutes=15,
        max_patients=20,
    )


def wait(patient, doctor_profile, clinic, **extra) -> WaitlistEntry:
    return WaitlistEntry.objects.create(
        patient=patient, doctor=doctor_profile, clinic=clinic, date=NEXT_MONDAY, **extra
    )


@pytest.mark.postgres
@RACE
def test_two_slots_freeing_at_once_go_to_two_different_patients(
    short_monday, doctor_profile, clinic
):
    booked = [
        AppointmentFactory(
            doctor=doctor_profile,
            clinic=clinic,
            appointment_date=NEXT_MONDAY,
            appointment_time=moment,
        )
        for moment in (dt.time(9, 0), dt.time(9, 15))
    ]
    waiting = [wait(PatientFactory(), doctor_profile, clinic) for _ in range(3)]
    clients = [client(appointment.patient) for appointment in booked]

    responses = race(
        [
            lambda c=c, a=a: c.patch(
                f"/api/appointments/my/{a.pk}/", {"status": "cancelled"}, format="json"
            )
            for c, a in zip(clients, booked, strict=True)
        ]
    )

    assert [r.status_code for r in responses] == [200, 200]
    entries = list(WaitlistEntry.objects.filter(pk__in=[w.pk for w in waiting]).order_by("id"))
    offered = [e for e in entries if e.status == "offered"]
    assert sorted(e.offered_time for e in offered) == [dt.time(9, 0), dt.time(9, 15)]
    # First in line first: the two who joined first hold the slots, the third still waits.
    assert [e.status for e in entries] == ["offered", "offered", "waiting"]


@pytest.mark.postgres
@RACE
def test_two_holders_accepting_at_once_each_get_their_slot_and_a_stranger_none(
    short_monday, doctor_profile, clinic
):
    now = timezone.now()
    holders = [PatientFactory(), PatientFactory()]
    offers = [
        wait(
            patient,
            doctor_profile,
            clinic,
            status="offered",
            offered_time=moment,
            offered_at=now,
            offer_expires_at=now + dt.timedelta(minutes=10),
        )
        for patient, moment in zip(holders, (dt.time(9, 0), dt.time(9, 15)), strict=True)
    ]
    stranger = PatientFactory()
    clients = [client(holder) for holder in holders]
    stranger_client = client(stranger)
    calls = [
        lambda c=c, o=o: c.post(f"{URL}{o.pk}/accept/")
        for c, o in zip(clients, offers, strict=True)
    ]
    calls.append(
        lambda: stranger_client.post(
            BOOK_URL, booking_body(doctor_profile.pk, appointment_time="09:00"), format="json"
        )
    )

    codes = [response.status_code for response in race(calls)]

    assert codes[:2] == [201, 201]
    assert codes[2] == 409
    booked = dict(Appointment.objects.values_list("appointment_time", "patient_id"))
    assert booked == {dt.time(9, 0): holders[0].pk, dt.time(9, 15): holders[1].pk}
    assert Counter(
        WaitlistEntry.objects.filter(pk__in=[o.pk for o in offers]).values_list("status", flat=True)
    ) == {"booked": 2}
