"""On PostgreSQL, after ANALYZE, every hot read statement is served by indexes: no sequential
scan of a table that grows with the network (issue 16, "flat under growth").

The doctor list's keyset page (page 2 after page 1) is checked as *servable* (sequential scans
and sorts priced out: an index serves it in its order): the planner misjudges the range
`u.name >= ...` across the directory's joins at this size and may hash-join its rows; every
other statement must pick its indexes as planned.

A bench network is seeded (`bench.seed`: 400 clinics, 4,000 doctors, 3,000 patients, their
weekly windows, leaves and 4,000 appointments), statistics are refreshed (autovacuum is off on these
machines), and each public and authenticated list is requested with the response cache off.
Every statement it runs is EXPLAINed. The public lists' COUNTs are exempt: they read every
matching row by nature, and are cached per directory version (test_public_cache,
doctors/tests/test_directory_pages).
"""

import datetime as dt
import json
import random
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from appointments.models import Appointment
from bench import seed
from clinic.models import Clinic, ClinicMember
from doctors.models import DoctorLeave, DoctorProfile
from users.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GROWING = {
    "users_user",
    "doctors_doctorprofile",
    "doctors_doctoravailability",
    "doctors_doctorleave",
    "clinic_clinic",
    "clinic_clinicmember",
    "clinic_clinictimeslot",
    "appointments_appointment",
    "users_patientprofile",
}
DAY = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture
def network(settings) -> dict[str, Any]:
    settings.RESPONSE_CACHE_ENABLED = False
    seed._seed(clinics=400, patients=3000, appointments=0)
    rng = random.Random(16)
    doctors = list(DoctorProfile.objects.values_list("id", "user_id"))
    clinic_of = dict(ClinicMember.objects.values_list("user_id", "clinic_id"))
    patients = list(User.objects.filter(contact__startswith="+91920").values_list("id", flat=True))
    DoctorLeave.objects.bulk_create(
        DoctorLeave(
            doctor_id=doctor_id,
            start_date=DAY + dt.timedelta(days=rng.randrange(60)),
            end_date=DAY + dt.timedelta(days=61),
        )
        for doctor_id, _ in doctors[::2]
    )
    rows, seen = [], set()
    while len(rows) < 4000:
        doctor_id, user_id = doctors[rng.randrange(len(doctors))]
        date = DAY + dt.timedelta(days=rng.randrange(-30, 30))
        moment = dt.time(9 + rng.randrange(8), rng.choice([0, 15, 30, 45]))
        patient = patients[0] if len(rows) % 40 == 0 else patients[rng.randrange(len(patients))]
        if (doctor_id, date, moment) in seen or (patient, date, moment) in seen:
            continue
        seen |= {(doctor_id, date, moment), (patient, date, moment)}
        rows.append(
            Appointment(
                patient_id=patient,
                patient_profile_id=patient,  # the self profile's id is the account's
                doctor_id=doctor_id,
                clinic_id=clinic_of[user_id],
                appointment_date=date,
                appointment_time=moment,
                status=rng.choice(["pending", "confirmed", "completed"]),
            )
        )
    Appointment.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    doctor_id, user_id = doctors[len(doctors) // 2]
    return {
        "doctor": doctor_id,
        "doctor_user": User.objects.get(pk=user_id),
        "clinic": clinic_of[user_id],
        "city": Clinic.objects.get(pk=clinic_of[user_id]).city,
        "patient": User.objects.get(pk=patients[0]),
    }


def plan_of(sql: str, params: Any, *, prefer_indexes: bool = False) -> dict[str, Any]:
    with connection.cursor() as cursor:
        if prefer_indexes:  # until the end of the test's transaction
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
        if prefer_indexes:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in nodes(child))]


def statements(client: APIClient, url: str, **params: Any) -> list[tuple[str, Any]]:
    """Each statement of the request, with its parameters (captured by a wrapper)."""
    captured: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    return captured


def assert_indexed(
    client: APIClient, url: str, *, servable: bool = False, **params: Any
) -> list[str]:
    """The index names the request's plans use; no plan scans a growing table. `servable`:
    checked with sequential scans and sorts priced out (an index *can* serve the statement
    in its order), for the doctor list pages, whose planner choice depends on the size."""
    used = []
    for sql, values in statements(client, url, **params):
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = nodes(plan_of(sql, values, prefer_indexes=servable))
        if url.startswith(("/api/doctors/", "/api/clinics/public/")) and sql.startswith(
            "SELECT COUNT(*)"
        ):
            continue  # the public lists' totals: cached per version
        scanned = {node.get("Relation Name") for node in plan if node["Node Type"] == "Seq Scan"}
        assert not scanned & GROWING, (url, params, scanned & GROWING, sql)
        used += [node["Index Name"] for node in plan if "Index Name" in node]
    assert used, url
    return used


def test_the_public_reads_use_indexes(network):
    client = APIClient()
    doctor, clinic = network["doctor"], network["clinic"]
    assert "user_doctor_name_idx" in assert_indexed(client, "/api/doctors/")
    client.get("/api/doctors/", {"page_size": 20})
    keyset = assert_indexed(client, "/api/doctors/", servable=True, page=2)
    assert "user_doctor_name_idx" in keyset
    assert_indexed(client, "/api/doctors/", clinic=str(clinic))
    assert_indexed(client, f"/api/doctors/{doctor}/")
    slots = f"/api/doctors/{doctor}/availability/slots/"
    assert_indexed(client, slots, date=str(DAY))
    assert "clinic_active_name_idx" in assert_indexed(client, "/api/clinics/public/")
    used = assert_indexed(client, "/api/clinics/public/", city=network["city"])
    assert "clinic_active_city_name_idx" in used
    assert_indexed(client, f"/api/clinics/{clinic}/")
    assert_indexed(client, f"/api/clinics/{clinic}/slots/")


def test_the_specialty_filter_uses_its_index(network):
    used = [
        name
        for sql, values in statements(APIClient(), "/api/doctors/", specialty="Cardiology")
        for node in nodes(plan_of(sql, values))
        if (name := node.get("Index Name"))
    ]
    assert "doctor_specialty_upper_idx" in used


def test_the_authenticated_lists_use_indexes(network, client_for):
    patient = client_for(network["patient"])
    assert "appt_patient_order_idx" in assert_indexed(patient, "/api/appointments/my/")
    doctor = client_for(network["doctor_user"])
    day = Appointment.objects.filter(doctor_id=network["doctor"]).values_list(
        "appointment_date", flat=True
    )[0]
    used = assert_indexed(doctor, "/api/appointments/doctor/", date=str(day))
    assert "appt_doctor_order_idx" in used
