"""The lists' row reader (`appointments/rows.py`) answers the same JSON bytes as the output
serializers it bypasses, which stay the schema and the reference: for a varied set of
appointments (every status, dependents, walk-ins in the queue, a reschedule pair, null
fields, non-ASCII text, clinics in two time zones), on every page of the patient's and the
doctor's list, filtered and not, and on the clinic dashboard's pages."""

import datetime as dt
import decimal
import re
from zoneinfo import ZoneInfo

import orjson
import pytest
from django.utils import timezone

from appointments.models import Appointment
from appointments.serializers import (
    AppointmentDetailOutputSerializer,
    AppointmentOutputSerializer,
    DoctorAppointmentDetailOutputSerializer,
    DoctorAppointmentOutputSerializer,
    PatientAppointmentOutputSerializer,
)
from appointments.tests.factories import AppointmentFactory, AppointmentStatusChangeFactory
from clinic.tests.factories import ClinicFactory
from core.renderers import FastJSONRenderer
from users.tests.profiles_helpers import dependent_of

NEW_YORK = ZoneInfo("America/New_York")
STATUSES = ["pending", "confirmed", "completed", "cancelled", "no_show"]


@pytest.fixture
def varied(patient, doctor_profile, clinic, clock):
    """Fourteen appointments of `patient` (and two dependents) with `doctor_profile`, at a
    Jaipur clinic and a New York one, covering every field's shapes."""
    patient.name = "राहुल शर्मा"
    patient.save()
    doctor_profile.user.name = "Dr. Zoë Ñúñez “Heart”"
    doctor_profile.user.save()
    abroad = ClinicFactory(name="Clínica São Paulo 東京", city="New York", timezone=NEW_YORK.key)
    child = dependent_of(patient, name="आरव", date_of_birth=dt.date(2019, 5, 1))
    unknown = dependent_of(patient, name="", gender="", stated_age=None)
    stated = dependent_of(patient, name="Diya", gender="female", stated_age=4)
    profiles = [None, child, unknown, stated]
    made = []
    for i in range(14):
        profile = profiles[i % 4]
        extra = {} if profile is None else {"patient_profile": profile}
        made.append(
            AppointmentFactory(
                patient=patient,
                doctor=doctor_profile,
                clinic=abroad if i % 3 == 0 else clinic,
                appointment_date=dt.date(2026, 3, 2) + dt.timedelta(days=i // 4),
                appointment_time=dt.time(9 + i % 4, 15 * (i % 4)),
                status=STATUSES[i % 5],
                fee_charged=decimal.Decimal(["500", "1234.5", "0", "99999999.99"][i % 4]),
                notes=["", 'Chest pain "2 days"\n<script>', "दर्द 🤒"][i % 3],
                cancellation_reason="Doctor away" if i % 5 == 3 else "",
                doctor_notes="ECG ok ✓" if i % 2 else "",
                is_paid=bool(i % 2),
                **extra,
            )
        )
    # walk-ins in the queue, with their timestamps (microseconds, two zones)
    arrived = dt.datetime(2026, 3, 2, 3, 1, 2, 345678, tzinfo=dt.UTC)
    Appointment.objects.filter(pk=made[1].pk).update(
        source="walk_in", token=1, queue_state="waiting", arrived_at=arrived
    )
    Appointment.objects.filter(pk=made[5].pk).update(
        source="walk_in",
        token=2,
        overbooked=True,
        queue_state="done",
        arrived_at=arrived.astimezone(NEW_YORK),
        called_at=arrived + dt.timedelta(minutes=5),
        started_at=arrived + dt.timedelta(minutes=6, seconds=1),
        finished_at=arrived.replace(microsecond=0) + dt.timedelta(minutes=20),
    )
    # histories: a first step without a from_status, an actor-less (system) change, people
    for appointment in made[:6]:
        AppointmentStatusChangeFactory(appointment=appointment, actor=patient)
    AppointmentStatusChangeFactory(
        appointment=made[0], actor=None, from_status="pending", to_status="cancelled"
    )
    AppointmentStatusChangeFactory(
        appointment=made[1],
        actor=doctor_profile.user,
        from_status="pending",
        to_status="confirmed",
        reason="रोगी ने कहा ✓",
    )
    # a reschedule pair
    Appointment.objects.filter(pk=made[3].pk).update(rescheduled_to=made[7])
    Appointment.objects.filter(pk=made[7].pk).update(rescheduled_from=made[3])
    return made


def _rendered(serializer_class, appointments) -> bytes:
    with timezone.override(dt.UTC):  # as core.api_timezone does for every API response
        return FastJSONRenderer().render(serializer_class(appointments, many=True).data)


def _next_url(response) -> str | None:
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
    return found.group(1) if found else None


def _pages(client, url: str) -> list:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response)
        url = _next_url(response)
    return pages


@pytest.mark.parametrize("query", ["", "&status=cancelled", "&status=completed"])
def test_the_patient_list_matches_its_serializer_on_every_page(client_for, patient, varied, query):
    expected = Appointment.objects.filter(patient=patient).select_related(
        "doctor__user", "clinic", "patient", "patient_profile"
    )
    if query:
        expected = expected.filter(status=query.split("=")[1])
    pages = _pages(client_for(patient), f"/api/appointments/my/?page_size=4{query}")

    assert len(pages) == -(-expected.count() // 4)
    for number, response in enumerate(pages):
        page = list(expected[number * 4 : number * 4 + 4])
        assert response.content == _rendered(PatientAppointmentOutputSerializer, page)
    assert sum(len(response.json()) for response in pages) == expected.count()


@pytest.mark.parametrize("query", ["", "&date=2026-03-03", "&from_date=2026-03-03&status=pending"])
def test_the_doctor_list_matches_its_serializer_on_every_page(client_for, doctor, varied, query):
    expected = Appointment.objects.filter(doctor__user=doctor).select_related(
        "doctor__user", "clinic", "patient", "patient_profile"
    )
    if "date=2026-03-03" in query and "from_date" not in query:
        expected = expected.filter(appointment_date=dt.date(2026, 3, 3))
    if "from_date" in query:
        expected = expected.filter(appointment_date__gte=dt.date(2026, 3, 3), status="pending")
    pages = _pages(client_for(doctor), f"/api/appointments/doctor/?page_size=3{query}")

    assert pages
    assert len(pages) == -(-expected.count() // 3)
    for number, response in enumerate(pages):
        page = list(expected[number * 3 : number * 3 + 3])
        assert response.content == _rendered(DoctorAppointmentOutputSerializer, page)


def test_the_dashboard_list_matches_its_serializer_on_every_page(
    client_for, clinic_owner, clinic, varied
):
    day = dt.date(2026, 3, 2)
    expected = list(
        Appointment.objects.filter(clinic=clinic, appointment_date=day)
        .select_related("doctor__user", "clinic", "patient", "patient_profile")
        .order_by("appointment_time", "id")
    )
    url = f"/api/appointments/clinic/{clinic.pk}/dashboard/?date={day}&page_size=1"
    pages = _pages(client_for(clinic_owner), url)

    assert len(pages) == len(expected) >= 2
    for number, response in enumerate(pages):
        # re-dumping the parsed list keeps key order and JSON types (int/str/bool/null)
        assert orjson.dumps(response.json()["appointments"]) == _rendered(
            AppointmentOutputSerializer, expected[number : number + 1]
        )


def test_the_detail_reads_match_their_serializers(client_for, patient, doctor, varied):
    as_patient, as_doctor = client_for(patient), client_for(doctor)
    histories = 0
    for appointment in Appointment.objects.select_related(
        "doctor__user", "clinic", "patient", "patient_profile"
    ).prefetch_related("status_changes__actor"):
        with timezone.override(dt.UTC):
            mine = AppointmentDetailOutputSerializer(appointment).data
            theirs = DoctorAppointmentDetailOutputSerializer(appointment).data
        histories += len(mine["history"])
        response = as_patient.get(f"/api/appointments/my/{appointment.pk}/")
        assert response.content == FastJSONRenderer().render(mine)
        response = as_doctor.get(f"/api/appointments/doctor/{appointment.pk}/")
        assert response.content == FastJSONRenderer().render(theirs)
    assert histories == 8


def test_a_detail_outside_the_scope_is_404(client_for, other_patient, other_doctor, varied):
    for client, url in [
        (client_for(other_patient), f"/api/appointments/my/{varied[0].pk}/"),
        (client_for(other_doctor), f"/api/appointments/doctor/{varied[0].pk}/"),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_varied_set_covers_what_the_reader_converts(client_for, patient, varied):
    """Guards the fixture: without these shapes the equality above would prove less."""
    rows = orjson.loads(
        _rendered(PatientAppointmentOutputSerializer, Appointment.objects.filter(patient=patient))
    )
    assert {row["timezone"] for row in rows} == {"Asia/Kolkata", NEW_YORK.key}
    assert {row["status"] for row in rows} == set(STATUSES)
    assert {row["source"] for row in rows} == {"app", "walk_in"}
    assert any(row["patient"]["age"] is None for row in rows)
    assert any(row["patient"]["gender"] == "" for row in rows)
    assert any(row["rescheduled_from"] for row in rows)
    assert any(row["rescheduled_to"] for row in rows)
    assert any(row["finished_at"] and "." not in row["finished_at"] for row in rows)
    assert any(row["arrived_at"] and "." in row["arrived_at"] for row in rows)
    assert {row["fee_charged"] for row in rows} >= {"1234.50", "99999999.99", "0.00"}
    assert any(row["starts_at"].endswith("-05:00") for row in rows)
    assert len({row["patient_profile"]["id"] for row in rows}) == 4
