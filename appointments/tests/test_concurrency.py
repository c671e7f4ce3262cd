"""No double booking under real concurrency (PostgreSQL): racing threads, and racing requests
to two separate server processes on one database. Also the IntegrityError path on any database.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

import appointments.slots
from appointments.models import Appointment
from appointments.tests.conftest import BOOK_URL, booking_body
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from core.testing import race
from doctors.tests.factories import DoctorAvailabilityFactory, DoctorProfileFactory
from users.tests.factories import PatientFactory

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def token_for(user) -> str:
    return str(RefreshToken.for_user(user).access_token)


def race_bookings(bodies_by_user: list[tuple[object, dict]]) -> list[int]:
    """Fire every booking at once from its own thread; returns the status codes."""
    clients = []
    for user, _ in bodies_by_user:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        clients.append(client)
    calls = [
        lambda c=c, b=b: c.post(BOOK_URL, b, format="json")
        for c, (_, b) in zip(clients, bodies_by_user, strict=True)
    ]
    return [response.status_code for response in race(calls)]


@pytest.mark.postgres
@RACE
def test_twenty_patients_racing_for_one_slot_get_exactly_one_booking(
    clock, monday_window, doctor_profile
):
    patients = [PatientFactory() for _ in range(20)]
    body = booking_body(doctor_profile.pk)

    codes = race_bookings([(p, body) for p in patients])

    assert Counter(codes) == {201: 1, 409: 19}
    assert Appointment.objects.count() == 1


@pytest.mark.postgres
@RACE
def test_a_window_of_three_takes_exactly_three_of_ten_racing_bookings(
    clock, doctor_profile, clinic
):
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        slot_duration_minutes=15,
        max_patients=3,
    )
    times = [f"{9 + i // 4:02d}:{15 * (i % 4):02d}" for i in range(10)]
    bookings = [
        (PatientFactory(), booking_body(doctor_profile.pk, appointment_time=t)) for t in times
    ]

    codes = race_bookings(bookings)

    assert Counter(codes) == {201: 3, 409: 7}
    assert Appointment.objects.count() == 3


@pytest.mark.postgres
@RACE
def test_one_patient_racing_for_one_time_with_ten_doctors_gets_one(clock, patient):
    # Different doctors lock different rows: only the (patient, date, time) constraint stops this.
    bookings = []
    for _ in range(10):
        profile = DoctorProfileFactory()
        clinic = ClinicFactory()
        ClinicMemberFactory(clinic=clinic, user=profile.user, member_role="doctor")
        DoctorAvailabilityFactory(doctor=profile, clinic=clinic, day_of_week=0)
        bookings.append((patient, booking_body(profile.pk)))

    codes = race_bookings(bookings)

    assert Counter(codes) == {201: 1, 409: 9}
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.postgres
@RACE
def test_one_patient_racing_ten_bookings_with_one_doctor_stays_within_the_cap(
    clock, monday_window, doctor_profile, patient, settings
):
    # The cap is counted under the doctor's row lock, so the racers queue and each one counts
    # the bookings committed before it: never more than the cap, whatever the interleaving.
    settings.MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = 3
    times = [f"{9 + i // 4:02d}:{15 * (i % 4):02d}" for i in range(10)]

    codes = race_bookings(
        [(patient, booking_body(doctor_profile.pk, appointment_time=t)) for t in times]
    )

    assert Counter(codes) == {201: 3, 409: 7}
    assert Appointment.objects.filter(patient=patient).count() == 3


@pytest.mark.django_db
def test_a_race_lost_at_the_constraint_is_a_409(
    book, patient, other_patient, monday_window, monkeypatch
):
    """Even if the slot check were fooled, the partial unique index refuses the second row."""
    assert book(other_patient).status_code == 201
    with monkeypatch.context() as patched:
        patched.setattr(appointments.slots, "doctor_taken_times", lambda **kwargs: [])
        response = book(patient)

    assert response.status_code == 409
    assert response.json() == {
        "message": "This slot is already booked; choose another slot.",
        "code": "booked",
        "next_available_slots": ["09:45", "10:00", "10:15", "10:30", "10:45"],
    }
    assert Appointment.objects.count() == 1


# --- two server processes -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quickcare.settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT_SIGNING_KEY": settings.SIMPLE_JWT["SIGNING_KEY"],
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    # runserver (threaded): gunicorn 27 accepted connections but never answered in this sandbox.
    command = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks"]
    return subprocess.Popen(
        [*command, f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/appointments/my/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"server on port {port} did not start")


@pytest.mark.postgres
@RACE
def test_two_server_processes_on_one_database_book_a_slot_once(clinic, doctor_profile):
    # The servers run on the real clock, so the slot is a week ahead of the clinic's today.
    today = dt.datetime.now(ZoneInfo(clinic.timezone)).date()
    day = today + dt.timedelta(days=7)
    DoctorAvailabilityFactory(
        doctor=doctor_profile, clinic=clinic, day_of_week=day.weekday(), max_patients=20
    )
    patients = [PatientFactory() for _ in range(20)]
    body = booking_body(doctor_profile.pk, appointment_date=day.isoformat())
    ports = [free_port(), free_port()]
    logs = Path(tempfile.mkdtemp(prefix="qc-appt-servers-"))
    servers = [start_server(port, logs / f"{port}.log") for port in ports]
    try:
        for port in ports:
            wait_until_up(port, time.monotonic() + 60)
        headers = [{"Authorization": f"Bearer {token_for(p)}"} for p in patients]

        def post(index: int) -> int:
            with httpx.Client(base_url=f"http://127.0.0.1:{ports[index % 2]}") as http:
                return http.post(
                    BOOK_URL, json=body, headers=headers[index], timeout=30
                ).status_code

        codes = race([lambda i=i: post(i) for i in range(len(patients))])
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

    assert Counter(codes) == {201: 1, 409: 19}, [p.read_text()[-2000:] for p in logs.iterdir()]
    assert Appointment.objects.count() == 1
