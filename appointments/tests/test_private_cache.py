"""Cached private lists (core.cached_responses, core.cache_fast_path): the patient's and the
doctor's appointment lists are answered again from the cache with no SQL, byte for byte and
header for header, and every write that can change them, every end of the session and every
change of the caller's rights is seen by the very next request."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from appointments.models import Appointment
from appointments.tests.conftest import BOOK_URL, NEXT_MONDAY, NOW, booking_body
from clinic.models import ClinicMember, MemberStatus
from core import cache_fast_path
from core.records import forget_on_migrate
from core.response_cache import Namespace, cache_versions
from core.roles import RoleId
from users.models import PatientProfile
from users.tests.factories import DEFAULT_PASSWORD
from users.tokens import issue_tokens

pytestmark = pytest.mark.django_db
MY = "/api/appointments/my/"
DOCTOR = "/api/appointments/doctor/"
_PER_REQUEST = {"X-Request-ID"}


def session(user: Any) -> tuple[APIClient, dict[str, str]]:
    """A client with a login's tokens (a session id: the cacheable kind)."""
    tokens = issue_tokens(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def statements(client: APIClient, url: str, **extra: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def headers(response: Any) -> dict[str, str]:
    return {name: value for name, value in response.items() if name not in _PER_REQUEST}


@pytest.fixture
def booked(client_for, monday_window, patient, doctor_profile) -> Appointment:
    response = client_for(patient).post(BOOK_URL, booking_body(doctor_profile.pk), format="json")
    assert response.status_code == 201, response.content
    return Appointment.objects.get(pk=response.json()["id"])


@pytest.fixture
def patient_session(booked, patient):
    return session(patient)[0]


@pytest.fixture
def doctor_session(booked, doctor):
    return session(doctor)[0]


def names_in(response: Any) -> list[str]:
    return [item["patient"]["name"] for item in response.json()]


# --- hits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [MY, DOCTOR, f"{DOCTOR}?date={NEXT_MONDAY}"])
def test_a_repeated_list_costs_no_sql_and_answers_the_same(url, patient_session, doctor_session):
    client = patient_session if url == MY else doctor_session
    first, cost = statements(client, url)
    assert first.status_code == 200
    assert len(first.json()) == 1
    assert cost >= 1
    again, cost = statements(client, url)
    assert cost == 0
    assert again.content == first.content
    assert headers(again) == headers(first)  # the fast path answers like the framework
    assert first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    assert first["ETag"].startswith('"')


def test_the_answer_is_served_before_the_framework(patient_session, monkeypatch):
    from appointments import views

    assert patient_session.get(MY).status_code == 200

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the view ran")

    monkeypatch.setattr(views.PatientAppointmentListCreateView, "initial", refuse)
    assert patient_session.get(MY).status_code == 200


def test_the_request_log_names_the_user_of_a_stored_answer(patient_session, patient, caplog):
    patient_session.get(MY)
    with caplog.at_level("INFO", logger="quickcare.request"):
        _, cost = statements(patient_session, MY)
    assert cost == 0
    assert caplog.records
    assert {record.user_id for record in caplog.records} == {str(patient.pk)}


def test_if_none_match_gets_304(patient_session):
    etag = patient_session.get(MY)["ETag"]
    again, cost = statements(patient_session, MY, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, cost) == (304, b"", 0)
    assert again["ETag"] == etag


def test_each_token_has_its_own_answer(booked, patient):
    first, _ = session(patient)
    second, _ = session(patient)
    assert first.get(MY).status_code == 200
    response, cost = statements(second, MY)
    assert response.status_code == 200
    assert cost >= 1  # computed (and authenticated) for this token


def test_a_token_without_a_session_is_answered_every_time(client_for, booked, patient):
    client = client_for(patient)  # no `sid`: no authentication version to key by
    client.get(MY)
    response, cost = statements(client, MY)
    assert response.status_code == 200
    assert cost >= 1


def test_without_the_response_cache_every_list_is_read(patient_session, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    patient_session.get(MY)
    _, cost = statements(patient_session, MY)
    assert cost >= 1


# --- writes -------------------------------------------------------------------------------------


def test_a_booking_is_listed_by_the_next_request(
    patient_session, doctor_session, client_for, patient, doctor_profile
):
    assert len(patient_session.get(MY).json()) == 1
    assert len(doctor_session.get(DOCTOR).json()) == 1
    body = booking_body(doctor_profile.pk, appointment_time="10:00")
    assert client_for(patient).post(BOOK_URL, body, format="json").status_code == 201
    assert len(patient_session.get(MY).json()) == 2
    assert len(doctor_session.get(DOCTOR).json()) == 2


def test_a_status_change_is_seen_by_both_lists(patient_session, doctor_session, booked):
    assert patient_session.get(MY).json()[0]["status"] == "pending"
    assert doctor_session.get(DOCTOR).json()[0]["status"] == "pending"
    changed = doctor_session.patch(f"{DOCTOR}{booked.pk}/", {"status": "confirmed"}, format="json")
    assert changed.status_code == 200, changed.content
    assert patient_session.get(MY).json()[0]["status"] == "confirmed"
    assert doctor_session.get(DOCTOR).json()[0]["status"] == "confirmed"


def test_a_queryset_update_ends_the_stored_lists(patient_session, doctor_session, booked):
    patient_session.get(MY)
    doctor_session.get(DOCTOR)
    Appointment.objects.filter(pk=booked.pk).update(notes="moved by the desk")
    assert patient_session.get(MY).json()[0]["notes"] == "moved by the desk"
    assert doctor_session.get(DOCTOR).json()[0]["notes"] == "moved by the desk"


def test_a_profile_change_is_seen_in_the_doctors_list(doctor_session, patient_session, patient):
    assert names_in(doctor_session.get(DOCTOR)) == ["Rahul Sharma"]
    profile = PatientProfile.objects.get(pk=patient.pk)
    profile.name = "Rahul K. Sharma"
    profile.save()
    assert names_in(doctor_session.get(DOCTOR)) == ["Rahul K. Sharma"]
    assert names_in(patient_session.get(MY)) == ["Rahul K. Sharma"]


def test_a_profile_update_by_queryset_is_seen(doctor_session, patient):
    doctor_session.get(DOCTOR)
    PatientProfile.objects.filter(pk=patient.pk).update(name="R. Sharma")
    assert names_in(doctor_session.get(DOCTOR)) == ["R. Sharma"]


def test_the_holders_contact_change_is_seen_in_the_doctors_list(doctor_session, patient):
    assert doctor_session.get(DOCTOR).json()[0]["patient"]["contact"] != 9812345670
    patient.contact = "+919812345670"
    patient.save()
    assert doctor_session.get(DOCTOR).json()[0]["patient"]["contact"] == 9812345670


def test_a_login_does_not_end_the_doctors_lists(doctor_session, patient):
    doctor_session.get(DOCTOR)
    patient.last_login = NOW
    patient.save(update_fields=["last_login"])
    _, cost = statements(doctor_session, DOCTOR)
    assert cost == 0


def test_the_doctors_and_clinics_names_follow_the_directory(patient_session, doctor, clinic):
    patient_session.get(MY)
    doctor.name = "Dr. Suresh K. Yadav"
    doctor.save()
    clinic.name = "City Care Hospital"
    clinic.save()
    item = patient_session.get(MY).json()[0]
    assert item["doctor"]["user"]["name"] == "Dr. Suresh K. Yadav"
    assert item["clinic"]["name"] == "City Care Hospital"


def test_a_migration_ends_every_stored_answer():
    before = cache_versions(list(Namespace))
    forget_on_migrate(sender=None)
    after = cache_versions(list(Namespace))
    assert all(old != new for old, new in zip(before, after, strict=True))


# --- the caller ---------------------------------------------------------------------------------


def test_logout_ends_the_stored_list(booked, patient):
    client, tokens = session(patient)
    assert client.get(MY).status_code == 200
    assert APIClient().post("/api/users/logout/", {"refresh": tokens["refresh"]}).status_code == 204
    response = client.get(MY)
    assert response.status_code == 401
    assert response.json()["code"] == "session_revoked"


def test_a_password_change_ends_the_stored_list(booked, patient):
    patient.set_password(DEFAULT_PASSWORD)
    patient.save()
    client, _ = session(patient)
    assert client.get(MY).status_code == 200
    patient.set_password("Another@Pass42")
    patient.save()
    response = client.get(MY)
    assert response.status_code == 401
    assert response.json()["code"] == "password_changed"


def test_deactivation_ends_the_stored_list(patient_session, patient):
    assert patient_session.get(MY).status_code == 200
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert patient_session.get(MY).status_code == 401


def test_an_altered_token_is_refused_after_the_real_one_was_answered(booked, patient):
    client, tokens = session(patient)
    assert client.get(MY).status_code == 200
    header, payload, signature = tokens["access"].split(".")
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION=f"Bearer {header}.{payload}.{signature[:-2]}xx")
    assert forged.get(MY).status_code == 401


def test_an_expired_token_is_refused_though_its_answer_was_stored(
    booked, patient, clock_driven_cache, settings
):
    settings.RESPONSE_CACHE_BUCKET_SECONDS = 86400 * 365  # only the token's end is in play
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False) as clock:
        client, _ = session(patient)
        assert client.get(MY).status_code == 200
        _, cost = statements(client, MY)
        assert cost == 0
        clock.move_to(NOW + dt.timedelta(minutes=17))  # access tokens live 15 minutes
        assert client.get(MY).status_code == 401


def test_a_role_change_is_refused_at_once(doctor_session, doctor):
    assert doctor_session.get(DOCTOR).status_code == 200
    doctor.role_id = RoleId.PATIENT
    doctor.save(update_fields=["role"])
    assert doctor_session.get(DOCTOR).status_code == 403


def test_a_membership_change_ends_the_doctors_stored_list(doctor_session, doctor, clinic):
    doctor_session.get(DOCTOR)
    member = ClinicMember.objects.get(user=doctor, clinic=clinic)
    member.status = MemberStatus.INACTIVE
    member.save()
    _, cost = statements(doctor_session, DOCTOR)
    assert cost >= 1  # the directory moved: computed (and permitted) again


def test_the_memo_alone_serves_nothing(patient_session):
    assert patient_session.get(MY).status_code == 200
    from django.core.cache import cache

    cache.clear()  # the stored answer and every version are gone; this process still knows
    response, cost = statements(patient_session, MY)  # the route
    assert response.status_code == 200
    assert cost >= 1
    cache_fast_path.forget_all()


# --- the clock ----------------------------------------------------------------------------------


def test_an_age_moves_on_with_the_date(booked, patient, doctor, clock_driven_cache):
    profile = PatientProfile.objects.get(pk=patient.pk)
    profile.date_of_birth = dt.date(1990, 3, 3)  # 35 on 2 March 2026, 36 on the 3rd
    profile.save()
    evening = dt.datetime.combine(NOW.date(), dt.time(23, 55), NOW.tzinfo)
    with time_machine.travel(evening, tick=False) as clock:
        client, _ = session(doctor)
        assert client.get(DOCTOR).json()[0]["patient"]["age"] == 35
        _, cost = statements(client, DOCTOR)
        assert cost == 0
        clock.move_to(evening + dt.timedelta(minutes=10))  # past midnight, same token
        assert client.get(DOCTOR).json()[0]["patient"]["age"] == 36


def test_a_throttled_view_is_never_answered_before_the_framework(patient_session, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    from appointments import views

    monkeypatch.setattr(
        views.PatientAppointmentListCreateView, "throttle_classes", [UserRateThrottle]
    )
    monkeypatch.setattr(UserRateThrottle, "rate", "1000/min", raising=False)
    patient_session.get(MY)
    _, cost = statements(patient_session, MY)  # stored, but answered by the view (0 SQL)
    assert cost == 0
    assert not cache_fast_path._memo  # never remembered for the fast path
