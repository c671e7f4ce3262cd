"""The cached public reads' mechanism (core.response_cache): hits cost no SQL, answers carry a
strong ETag and Cache-Control, If-None-Match gets 304, only 200s are stored, callers who see
more are not served the shared answer, versions survive eviction, and today's slots expire
when the clock passes the next candidate time or the clinic's midnight."""

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.tests.conftest import IST, NEXT_MONDAY, NOW, TODAY
from clinic.tests.factories import ClinicTimeSlotFactory
from core.response_cache import Namespace, bump_directory, cache_versions, cached_value
from doctors.tests.factories import DoctorAvailabilityFactory

pytestmark = pytest.mark.django_db


def statements(client: APIClient, url: str, **params: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


@pytest.fixture
def public_urls(doctor_profile, clinic, monday_window) -> list[tuple[str, dict[str, str]]]:
    slot = ClinicTimeSlotFactory(clinic=clinic)
    return [
        ("/api/doctors/", {}),
        ("/api/doctors/", {"specialty": "cardiology", "page_size": "1"}),
        ("/api/doctors/", {"search": "suresh"}),
        (f"/api/doctors/{doctor_profile.pk}/", {}),
        (f"/api/doctors/{doctor_profile.pk}/availability/slots/", {"date": str(NEXT_MONDAY)}),
        ("/api/clinics/public/", {"city": "Jaipur"}),
        (f"/api/clinics/{clinic.pk}/", {}),
        (f"/api/clinics/{clinic.pk}/slots/", {}),
        (f"/api/clinics/{clinic.pk}/slots/{slot.pk}/", {}),
    ]


def test_a_repeated_public_read_costs_no_sql_and_answers_the_same(public_urls):
    client = APIClient()
    for url, params in public_urls:
        first, cost = statements(client, url, **params)
        assert first.status_code == 200, url
        assert cost >= 1, url
        again, cost = statements(client, url, **params)
        assert cost == 0, url
        assert again.content == first.content
        for header in ("Content-Type", "X-Total-Count", "Link", "ETag", "Cache-Control"):
            assert again.get(header) == first.get(header), (url, header)


def test_answers_carry_a_strong_etag_and_public_cache_control(public_urls, settings):
    settings.PUBLIC_CACHE_MAX_AGE_SECONDS = 7
    url, params = public_urls[0]
    response = APIClient().get(url, params)
    assert response["Cache-Control"] == "public, max-age=7"
    assert response["ETag"].startswith('"')  # strong: not W/"..."
    other = APIClient().get(*public_urls[3])
    assert other["ETag"] != response["ETag"]


@pytest.mark.parametrize("stored", [True, False])
def test_if_none_match_is_answered_304_without_a_body(public_urls, stored):
    url, params = public_urls[4]
    etag = APIClient().get(url, params)["ETag"]
    if not stored:
        cache.clear()
    response = APIClient().get(url, params, HTTP_IF_NONE_MATCH=f'"nope", {etag}')
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert APIClient().get(url, params, HTTP_IF_NONE_MATCH='"nope"').status_code == 200


def test_a_change_changes_the_etag(public_urls, doctor_profile):
    url, params = public_urls[3]
    etag = APIClient().get(url, params)["ETag"]
    doctor_profile.specialty = "neurology"
    doctor_profile.save()
    response = APIClient().get(url, params, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_errors_are_never_stored(doctor_profile, clinic):
    client = APIClient()
    for url, params in (
        ("/api/doctors/999999/", {}),
        (f"/api/doctors/{doctor_profile.pk}/availability/slots/", {"date": "nope"}),
        ("/api/doctors/", {"min_fee": "cheap"}),
        ("/api/doctors/", {"page": "9"}),
    ):
        first = client.get(url, params)
        assert first.status_code in (400, 404)
        assert "ETag" not in first
        assert "Cache-Control" not in first or "public" not in first["Cache-Control"]
    _, cost = statements(client, "/api/doctors/999999/")
    assert cost >= 1


def test_an_owner_sees_their_closed_clinic_and_never_gets_or_leaves_the_shared_answer(
    client_for, clinic
):
    owner = client_for(clinic.owner)
    anonymous = APIClient()
    assert anonymous.get(f"/api/clinics/{clinic.pk}/slots/").json() == []
    ClinicTimeSlotFactory(clinic=clinic, is_active=False)
    assert len(owner.get(f"/api/clinics/{clinic.pk}/slots/").json()) == 1
    assert anonymous.get(f"/api/clinics/{clinic.pk}/slots/").json() == []  # only active ones
    assert "Authorization" in anonymous.get(f"/api/clinics/{clinic.pk}/")["Vary"]
    clinic.is_active = False
    clinic.save()
    mine = owner.get(f"/api/clinics/{clinic.pk}/")
    assert mine.json()["is_active"] is False
    assert "Authorization" in mine["Vary"]
    assert anonymous.get(f"/api/clinics/{clinic.pk}/").status_code == 404


def test_a_signed_in_caller_of_the_clinic_list_shares_the_anonymous_answer(client_for, clinic):
    APIClient().get("/api/clinics/public/")
    response, cost = statements(client_for(clinic.owner), "/api/clinics/public/")
    assert response.status_code == 200
    assert cost <= 2  # the caller's authentication only (token revocation check, user)


def test_an_evicted_version_never_brings_back_an_old_answer(doctor_profile):
    client = APIClient()
    assert client.get("/api/doctors/").json()[0]["specialty"] == "cardiology"
    type(doctor_profile).objects.filter(pk=doctor_profile.pk).update(specialty="neurology")
    cache.delete(f"qc:v:{Namespace.DIRECTORY}")  # evicted, and the write bypassed signals
    assert client.get("/api/doctors/").json()[0]["specialty"] == "neurology"


def test_an_answer_computed_while_a_write_lands_is_stored_under_the_old_versions():
    calls = []

    def compute() -> int:
        calls.append(1)
        bump_directory()  # a writer commits while this reader computes
        return len(calls)

    assert cached_value("race", [], [Namespace.DIRECTORY], compute) == 1
    assert cached_value("race", [], [Namespace.DIRECTORY], lambda: 2) == 2  # not the raced one
    assert cached_value("race", [], [Namespace.DIRECTORY], lambda: 3) == 2  # now stored


def test_a_bump_happens_before_the_commit_too(django_capture_on_commit_callbacks):
    before = cache_versions([Namespace.DIRECTORY])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump_directory()
        during = cache_versions([Namespace.DIRECTORY])
    assert during != before
    assert len(callbacks) == 1
    callbacks[0]()
    assert cache_versions([Namespace.DIRECTORY]) not in (before, during)


def test_turned_off_every_read_runs_its_sql(settings, doctor_profile):
    settings.RESPONSE_CACHE_ENABLED = False
    client = APIClient()
    client.get("/api/doctors/")
    _, cost = statements(client, "/api/doctors/")
    assert cost >= 1


# --- the clock: today's slots and the clinic's midnight -------------------------------------------


def test_todays_cached_slots_expire_when_the_next_time_passes(
    clock, settings, doctor_profile, clinic
):
    settings.RESPONSE_CACHE_TTL_SECONDS = 86400  # only the clock ends this answer
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=TODAY.weekday(),
        start_time=dt.time(7, 0),
        end_time=dt.time(9, 0),
        slot_duration_minutes=30,
        max_patients=9,
    )
    url = f"/api/doctors/{doctor_profile.pk}/availability/slots/"
    client = APIClient()
    response = client.get(url, {"date": str(TODAY)})  # NOW is 08:00 in Jaipur
    assert response.json()["available_slots"] == ["08:30"]
    assert response["Cache-Control"] == "public, max-age=5"
    clock.move_to(NOW + dt.timedelta(minutes=29))
    _, cost = statements(client, url, date=str(TODAY))
    assert cost == 0
    assert client.get(url, {"date": str(TODAY)})["Cache-Control"] == "public, max-age=5"
    clock.move_to(NOW + dt.timedelta(minutes=29, seconds=58))
    assert client.get(url, {"date": str(TODAY)})["Cache-Control"] == "public, max-age=2"
    clock.move_to(dt.datetime.combine(TODAY, dt.time(8, 30), IST))
    assert client.get(url, {"date": str(TODAY)}).json()["available_slots"] == []


def test_the_horizon_moves_at_the_clinics_midnight(clock, settings, doctor_profile, clinic):
    settings.BOOKING_HORIZON_DAYS = 6
    settings.RESPONSE_CACHE_TTL_SECONDS = 86400  # only the clock ends this answer
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=TODAY.weekday())
    url = f"/api/doctors/{doctor_profile.pk}/availability/slots/"
    client = APIClient()
    beyond = str(TODAY + dt.timedelta(days=7))  # a Monday, one day past the horizon
    assert client.get(url, {"date": beyond}).json()["available_slots"] == []
    clock.move_to(dt.datetime.combine(TODAY, dt.time(23, 59), IST))
    _, cost = statements(client, url, date=beyond)
    assert cost == 0
    clock.move_to(dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(0, 0), IST))
    assert client.get(url, {"date": beyond}).json()["available_slots"][:1] == ["09:00"]


def test_the_listing_changes_at_the_next_candidate_or_midnight():
    from appointments.slots import listing_changes_at
    from doctors.slot_engine import SlotResult, Window

    window = Window(start=dt.time(9, 0), end=dt.time(10, 0), duration_minutes=30, capacity=1)
    result = SlotResult(window_of={dt.time(9, 0): window, dt.time(9, 30): window})
    at_nine_ten = dt.datetime(2026, 3, 2, 9, 10, tzinfo=IST)
    today = at_nine_ten.date()
    changes = listing_changes_at(result, date=today, timezone="Asia/Kolkata", now=at_nine_ten)
    assert changes == dt.datetime(2026, 3, 2, 9, 30, tzinfo=IST)
    tomorrow = today + dt.timedelta(days=1)
    changes = listing_changes_at(result, date=tomorrow, timezone="Asia/Kolkata", now=at_nine_ten)
    assert changes == dt.datetime(2026, 3, 3, 0, 0, tzinfo=IST)
    late = dt.datetime(2026, 3, 2, 9, 45, tzinfo=IST)
    assert listing_changes_at(result, date=today, timezone="Asia/Kolkata", now=late) == changes


# --- the fast path (core.cache_fast_path) -----------------------------------------------------


def test_the_fast_path_answers_like_the_framework(public_urls):
    client = APIClient()
    for url, params in public_urls:
        first = client.get(url, params)
        again, cost = statements(client, url, **params)
        assert cost == 0, url
        assert again.content == first.content, url
        drop = {"X-Request-ID"}
        assert {k: v for k, v in again.items() if k not in drop} == {
            k: v for k, v in first.items() if k not in drop
        }, url


def test_a_bearer_token_on_a_public_read_is_still_checked(public_urls):
    url, params = public_urls[5]  # the public clinic list authenticates a token if sent
    assert url == "/api/clinics/public/"
    client = APIClient()
    client.get(url, params)
    client.get(url, params)  # answered from the cache
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert client.get(url, params).status_code == 401


def test_a_cross_origin_read_gets_its_cors_headers(public_urls, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.in"]
    url, params = public_urls[0]
    client = APIClient()
    client.get(url, params)
    client.get(url, params)
    response = client.get(url, params, HTTP_ORIGIN="https://app.example.in")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.in"
