"""The desk's queue of a named date, computed before the framework (core.computed_routes,
core.cache_fast_path): a repeated read runs no view and no SQL, answers byte for byte and
header for header what the view answers, follows the clock, and every write to the day, every
end of the session and every change of the caller's rights is seen by the very next read."""

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.models import Appointment
from appointments.queue.views import QueueView
from appointments.tests.conftest import BOOK_URL, TODAY, booking_body
from appointments.tests.queue_helpers import (
    NEXT_URL,
    OPD_NOW,
    QUEUE_URL,
    WALK_IN_URL,
    booked,
    check_in_url,
    skip_url,
)
from clinic.models import ClinicMember, MemberStatus
from core import cache_fast_path, computed_routes
from core.roles import RoleId
from core.tokens_peek import token_digest
from users.models import PatientProfile
from users.tests.factories import DEFAULT_PASSWORD
from users.tokens import issue_tokens

pytestmark = pytest.mark.django_db
_PER_REQUEST = {"X-Request-ID"}


def session(user: Any) -> tuple[APIClient, dict[str, str]]:
    """A client with a login's tokens (a session id: the kind the fast path serves)."""
    tokens = issue_tokens(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def headers(response: Any) -> dict[str, str]:
    return {name: value for name, value in response.items() if name not in _PER_REQUEST}


@pytest.fixture
def opd(clock, monday_window, clock_driven_cache, settings):
    settings.RESPONSE_CACHE_TTL_SECONDS = 86400  # only writes and the clock end what is kept
    clock.move_to(OPD_NOW)
    return monday_window


@pytest.fixture
def day(opd, doctor_profile, clinic, patient) -> list[Appointment]:
    """Three bookings of today, the first checked in."""
    first = booked(doctor_profile, clinic, hour=10, minute=0, patient=patient)
    rows = [
        first,
        booked(doctor_profile, clinic, hour=10, minute=30),
        booked(doctor_profile, clinic, hour=11, minute=0),
    ]
    Appointment.objects.filter(pk=first.pk).update(
        token=1, queue_state="waiting", arrived_at=OPD_NOW, queue_due_at=OPD_NOW
    )
    return rows


@pytest.fixture
def url(doctor_profile) -> str:
    return f"{QUEUE_URL}?doctor={doctor_profile.pk}&date={TODAY}"


@pytest.fixture
def view_refused(monkeypatch) -> Callable[[], contextlib.AbstractContextManager[None]]:
    """A context in which the queue's view may not run (the answer must come before it)."""

    @contextlib.contextmanager
    def refused() -> Iterator[None]:
        def refuse(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("the view ran")

        with monkeypatch.context() as patch:
            patch.setattr(QueueView, "initial", refuse)
            yield

    return refused


@pytest.fixture
def desk_session(day, receptionist) -> tuple[APIClient, dict[str, str]]:
    return session(receptionist)


@pytest.fixture
def desk(desk_session) -> APIClient:
    return desk_session[0]


@pytest.fixture
def warm(url, view_refused) -> Callable[[APIClient], dict[str, Any]]:
    """warm(client): read through the view, then again before it (the same body); the body."""

    def read(client: APIClient) -> dict[str, Any]:
        first = client.get(url)
        assert first.status_code == 200, first.content
        with view_refused(), CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == 200
        assert len(queries) == 0
        assert again.content == first.content
        return again.json()

    return read


def entry_of(body: dict[str, Any], appointment: Appointment) -> dict[str, Any]:
    return next(entry for entry in body["entries"] if entry["appointment"] == appointment.pk)


# --- hits ---------------------------------------------------------------------------------------


def test_a_repeated_read_is_computed_before_the_view_byte_for_byte(
    desk, url, view_refused, patient
):
    profile = PatientProfile.objects.get(pk=patient.pk)
    profile.name = "Rahul Sharmá\u2028Jr"  # non-ASCII text and a separator JSON escapes
    profile.save()
    first = desk.get(url)
    assert first.status_code == 200
    with view_refused(), CaptureQueriesContext(connection) as queries:
        again = desk.get(url)
    assert len(queries) == 0
    assert again.content == first.content
    assert headers(again) == headers(first)
    assert first["Cache-Control"] == "private, max-age=5"
    assert first["Content-Length"] == str(len(first.content))
    assert b"\\u2028" in again.content
    cache_fast_path.forget_all()  # the view answers again at the same moment: the same bytes
    third = desk.get(url)
    assert (third.content, headers(third)) == (first.content, headers(first))


def test_the_etas_follow_the_clock_before_the_view(desk, url, warm, view_refused, clock):
    first = warm(desk)
    clock.move_to(OPD_NOW + dt.timedelta(minutes=9))  # the same token, nobody called
    with view_refused():
        later = desk.get(url).json()
    assert later["doctor_running_late_minutes"] == first["doctor_running_late_minutes"] + 9
    assert later["entries"][0]["eta"] != first["entries"][0]["eta"]
    cache_fast_path.forget_all()
    assert desk.get(url).json() == later  # what the view answers at that moment


def test_the_request_log_names_the_user_of_a_computed_answer(desk, url, warm, receptionist, caplog):
    warm(desk)
    with caplog.at_level("INFO", logger="quickcare.request"):
        assert desk.get(url).status_code == 200
    assert {record.user_id for record in caplog.records} == {str(receptionist.pk)}


def test_the_day_by_default_is_answered_by_the_view(desk, doctor_profile, view_refused):
    path = f"{QUEUE_URL}?doctor={doctor_profile.pk}"  # the clinic's today: depends on the clock
    assert desk.get(path).status_code == 200
    with view_refused(), pytest.raises(AssertionError, match="the view ran"):
        desk.get(path)


def test_another_accept_header_is_answered_by_the_view(desk, url, warm):
    warm(desk)
    indented = desk.get(url, HTTP_ACCEPT="application/json; indent=4")
    assert indented.status_code == 200
    assert indented.content.startswith(b"{\n    ")


def test_without_the_response_cache_the_view_answers(desk, url, view_refused, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    assert desk.get(url).status_code == 200
    with view_refused(), pytest.raises(AssertionError, match="the view ran"):
        desk.get(url)


def test_the_memo_alone_computes_nothing(desk, url, warm):
    warm(desk)
    cache.clear()  # the inputs, their versions and the token's record are gone
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(url)
    assert response.status_code == 200
    assert len(queries) >= 3  # the user, the scope, the rows (and the spans)


def test_a_token_without_its_record_goes_through_the_framework(desk_session, url, warm):
    client, tokens = desk_session
    warm(client)
    cache.delete(computed_routes.token_key(token_digest(tokens["access"])))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0  # authenticated and computed by the view, from the cache
    warm(client)  # and offered again


# --- the caller ---------------------------------------------------------------------------------


def test_logout_is_refused_at_once(desk_session, url, warm):
    client, tokens = desk_session
    warm(client)
    assert APIClient().post("/api/users/logout/", {"refresh": tokens["refresh"]}).status_code == 204
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "session_revoked")


def _new_password(user: Any, password: str) -> None:
    user.set_password(password)
    user.save()


def test_a_password_change_is_refused_at_once(url, warm, day, receptionist):
    _new_password(receptionist, DEFAULT_PASSWORD)
    client, _ = session(receptionist)
    warm(client)
    _new_password(receptionist, "Another@Pass42")
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "password_changed")


def test_an_old_token_is_refused_after_a_new_one_was_computed(url, warm, day, receptionist):
    _new_password(receptionist, DEFAULT_PASSWORD)
    old, _ = session(receptionist)
    warm(old)
    _new_password(receptionist, "Another@Pass42")
    new, _ = session(receptionist)
    warm(new)  # the route is now remembered under the new authentication version
    response = old.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "password_changed")


def test_deactivation_is_refused_at_once(desk, url, warm, receptionist):
    warm(desk)
    receptionist.is_active = False
    receptionist.save(update_fields=["is_active"])
    assert desk.get(url).status_code == 401


def test_a_role_change_is_refused_at_once(desk, url, warm, receptionist):
    warm(desk)
    receptionist.role_id = RoleId.PATIENT
    receptionist.save(update_fields=["role"])
    assert desk.get(url).status_code == 403


def test_an_ended_membership_is_refused_at_once(desk, url, warm, receptionist, clinic):
    warm(desk)
    member = ClinicMember.objects.get(user=receptionist, clinic=clinic)
    member.status = MemberStatus.INACTIVE
    member.save()
    response = desk.get(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_an_altered_token_is_refused(desk_session, url, warm):
    client, tokens = desk_session
    warm(client)
    header, payload, signature = tokens["access"].split(".")
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION=f"Bearer {header}.{payload}.{signature[:-2]}xx")
    assert forged.get(url).status_code == 401


def test_an_expired_token_is_refused(desk_session, url, warm, clock, settings):
    settings.RESPONSE_CACHE_BUCKET_SECONDS = 86400 * 365  # only the token's end is in play
    client, tokens = desk_session
    warm(client)
    record = computed_routes.token_key(token_digest(tokens["access"]))
    cache.set(record, cache.get(record), timeout=None)  # a cache whose clock did not move
    clock.move_to(OPD_NOW + dt.timedelta(minutes=16))  # access tokens live 15 minutes
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "token_not_valid")


def test_the_error_answers_are_the_frameworks(desk, url, warm):
    warm(desk)
    bad = desk.get(f"{QUEUE_URL}?doctor=abc&date={TODAY}")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"
    assert "doctor" in bad.json()
    anonymous = APIClient().get(url)
    assert (anonymous.status_code, anonymous["Content-Type"]) == (401, "application/json")


def test_another_clinics_desk_is_not_answered(url, warm, desk, other_owner):
    warm(desk)
    client, _ = session(other_owner)
    assert client.get(url).status_code == 404


# --- writes to the day --------------------------------------------------------------------------


def test_a_booking_is_seen_by_the_next_read(
    desk, url, warm, client_for, other_patient, doctor_profile
):
    before = warm(desk)
    body = booking_body(doctor_profile.pk, appointment_date=str(TODAY), appointment_time="12:00")
    made = client_for(other_patient).post(BOOK_URL, body, format="json")
    assert made.status_code == 201, made.content
    after = desk.get(url).json()
    assert len(after["entries"]) == len(before["entries"]) + 1
    warm(desk)


def test_a_check_in_is_seen_by_the_next_read(desk, url, warm, day):
    before = warm(desk)
    assert desk.post(check_in_url(day[1].pk)).status_code == 200
    after = desk.get(url).json()
    assert after["waiting"] == before["waiting"] + 1
    assert entry_of(after, day[1])["queue_state"] == "waiting"


def test_a_call_is_seen_by_the_next_read(desk, url, warm, client_for, doctor, day):
    before = warm(desk)
    assert before["now_serving"] is None
    call = client_for(doctor).post(NEXT_URL)
    assert call.status_code == 200, call.content
    after = desk.get(url).json()
    assert after["now_serving"] == 1
    assert entry_of(after, day[0])["queue_state"] == "called"


def test_a_skip_is_seen_by_the_next_read(desk, url, warm, day):
    warm(desk)
    assert desk.post(skip_url(day[0].pk)).status_code == 200
    assert entry_of(desk.get(url).json(), day[0])["queue_state"] == "skipped"


def test_a_status_change_is_seen_by_the_next_read(desk, url, warm, client_for, doctor, day):
    warm(desk)
    changed = client_for(doctor).patch(
        f"/api/appointments/doctor/{day[2].pk}/", {"status": "cancelled"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert entry_of(desk.get(url).json(), day[2])["status"] == "cancelled"


def test_a_walk_in_is_seen_by_the_next_read(desk, url, warm, doctor_profile):
    before = warm(desk)
    walk = desk.post(
        WALK_IN_URL,
        {"doctor": doctor_profile.pk, "contact": "9812345670", "name": "Walk In"},
        format="json",
    )
    assert walk.status_code == 201, walk.content
    after = desk.get(url).json()
    assert len(after["entries"]) == len(before["entries"]) + 1
    assert any(entry["source"] == "walk_in" for entry in after["entries"])


def test_a_renamed_patient_is_seen_by_the_next_read(desk, url, warm, day, patient):
    warm(desk)
    profile = PatientProfile.objects.get(pk=patient.pk)
    profile.name = "Rahul K. Sharma"
    profile.save()
    assert entry_of(desk.get(url).json(), day[0])["patient"]["name"] == "Rahul K. Sharma"


def test_a_queryset_update_is_seen_by_the_next_read(desk, url, warm, day):
    warm(desk)
    Appointment.objects.filter(pk=day[1].pk).update(queue_state="done")
    assert entry_of(desk.get(url).json(), day[1])["queue_state"] == "done"


def test_the_doctors_overbooking_is_seen_by_the_next_read(desk, url, warm, doctor_profile):
    assert warm(desk)["allow_overbooking"] is False
    doctor_profile.allow_overbooking = True
    doctor_profile.save()
    assert desk.get(url).json()["allow_overbooking"] is True
