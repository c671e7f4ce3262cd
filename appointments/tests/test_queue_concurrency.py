"""Tokens under real concurrency (PostgreSQL): 20 walk-ins at once for one doctor, each from its
own thread and connection, get tokens 1..20 exactly once, and the free slots exactly once."""

from collections import Counter

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from appointments.models import Appointment
from appointments.tests.queue_helpers import OPD_NOW, WALK_IN_URL, booked, check_in_url
from core.testing import race

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WALK_INS = 20
FREE_SLOTS = 11  # 10:15 ... 12:45 of the 09:00-13:00 session, at 10:02


def desk_clients(user, count: int) -> list[APIClient]:
    clients = []
    for _ in range(count):  # minted before the race: minting writes a row
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
        clients.append(client)
    return clients


def race_walk_ins(receptionist, doctor_profile) -> list[int]:
    clients = desk_clients(receptionist, WALK_INS)
    calls = [
        lambda c=client, n=index: c.post(
            WALK_IN_URL,
            {"doctor": doctor_profile.pk, "contact": f"98123456{n:02d}", "name": f"Walk In {n}"},
            format="json",
        )
        for index, client in enumerate(clients)
    ]
    return [response.status_code for response in race(calls)]


@pytest.mark.postgres
@RACE
def test_twenty_concurrent_walk_ins_get_tokens_one_to_twenty(
    clock, monday_window, doctor_profile, receptionist
):
    clock.move_to(OPD_NOW)
    doctor_profile.allow_overbooking = True
    doctor_profile.save()

    codes = race_walk_ins(receptionist, doctor_profile)

    assert Counter(codes) == {201: WALK_INS}
    rows = list(Appointment.objects.values_list("token", "appointment_time", "overbooked"))
    assert sorted(token for token, _, _ in rows) == list(range(1, WALK_INS + 1))
    slotted = [moment for _, moment, overbooked in rows if not overbooked]
    assert len(slotted) == len(set(slotted)) == FREE_SLOTS
    assert sum(1 for *_, overbooked in rows if overbooked) == WALK_INS - FREE_SLOTS


@pytest.mark.postgres
@RACE
def test_without_overbooking_the_racers_beyond_the_free_slots_get_session_full(
    clock, monday_window, doctor_profile, receptionist
):
    clock.move_to(OPD_NOW)

    codes = race_walk_ins(receptionist, doctor_profile)

    assert Counter(codes) == {201: FREE_SLOTS, 409: WALK_INS - FREE_SLOTS}
    tokens = sorted(Appointment.objects.values_list("token", flat=True))
    assert tokens == list(range(1, FREE_SLOTS + 1))


@pytest.mark.postgres
@RACE
def test_twenty_concurrent_check_ins_get_tokens_one_to_twenty(
    clock, monday_window, doctor_profile, clinic, receptionist
):
    clock.move_to(OPD_NOW)
    # Built directly (some times are past by now); the desk checks all 20 in at once.
    bookings = [
        booked(doctor_profile, clinic, hour=9 + step // 6, minute=step % 6 * 10)
        for step in range(WALK_INS)
    ]
    clients = desk_clients(receptionist, WALK_INS)
    calls = [
        lambda c=client, pk=appointment.pk: c.post(check_in_url(pk))
        for client, appointment in zip(clients, bookings, strict=True)
    ]

    codes = [response.status_code for response in race(calls)]

    assert Counter(codes) == {200: WALK_INS}
    tokens = sorted(Appointment.objects.values_list("token", flat=True))
    assert tokens == list(range(1, WALK_INS + 1))
