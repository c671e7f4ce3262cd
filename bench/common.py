"""Benchmark toolkit: a seeded PostgreSQL network, a gunicorn server, a load loop, query counts.

Used by `bench.run` (`make bench`); another scenario module (e.g. `bench/booking.py` with
`main(ctx: BenchContext) -> list[Result]`) reuses it. Everything runs on 127.0.0.1 only.

API
---
setup_django(database_url) -> None
    Environment for this process and the server (DEBUG off, SECRET_KEY, ALLOWED_HOSTS,
    DJANGO_SETTINGS_MODULE=bench.settings), creates the database if missing (psycopg),
    `django.setup()`, migrates. Call first.
seed_network(*, clinics=50, doctors_per_clinic=10, patients=300) -> Network
    Idempotent: a network already in the database (clinic slugs `bench-clinic-*`) is reused.
    Clinics with weekly slots, doctors with profiles, memberships and Mon-Sat availability,
    patients, and appointments on `Network.slot_date` (about a third of the morning slots).
server(*, workers=2, port=8190) -> context manager yielding the base URL
    gunicorn `quickcare.wsgi` with `bench.settings` (the app plus `GET /bench/ping/`, a trivial
    DRF view); stopped (SIGTERM, then SIGKILL) when the block exits, even on error.
run_load(name, base_url, paths, *, method="GET", bodies=None, headers=None, concurrency=4,
         seconds=8.0, max_requests=20000, ok=(200,)) -> Result
    Threads with one httpx client each cycle through `paths` (and `bodies`, JSON) until the
    time or request budget is spent; returns requests/s and p50/p95 latency (ms).
queries_per_request(path, *, method="GET", body=None, headers=None) -> int
    SQL statements of one request, in-process (django.test.Client + CaptureQueriesContext)
    against the same database.
token_for(user) -> str
    A Bearer access token for `Authorization` headers (same SECRET_KEY as the server).
print_results(results, baseline) -> bool
    The table; True when every result marked `target_ratio` reaches it against `baseline`.
BenchContext
    What `bench.booking.main(ctx)` receives: base_url, network, and the functions above.
"""

import contextlib
import datetime as dt
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/quickcare_bench"
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghij"
SPECIALTIES = [
    "cardiology",
    "dermatology",
    "pediatrics",
    "orthopedics",
    "general medicine",
    "gynecology",
    "ent",
    "neurology",
    "ophthalmology",
    "psychiatry",
]
FIRST_NAMES = [
    "Aarav",
    "Vivaan",
    "Aditya",
    "Ananya",
    "Diya",
    "Ishaan",
    "Kavya",
    "Rohan",
    "Saanvi",
    "Arjun",
    "Meera",
    "Kabir",
    "Nisha",
    "Vikram",
    "Pooja",
    "Rahul",
]
LAST_NAMES = [
    "Sharma",
    "Verma",
    "Iyer",
    "Reddy",
    "Nair",
    "Gupta",
    "Khan",
    "Das",
    "Joshi",
    "Patel",
    "Rao",
    "Singh",
    "Mehta",
    "Bose",
    "Kulkarni",
    "Menon",
]
CITIES = ["Jaipur", "Pune", "Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata", "Hyderabad"]


# --- environment and database ------------------------------------------------------------


def bench_environment(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "CACHE_URL": "locmemcache://bench",
        "SMS_BACKEND": "core.sms.LocmemBackend",
    }


def _create_database_if_missing(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(database_url: str = DEFAULT_DATABASE_URL) -> None:
    if urlsplit(database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("The bench only runs against a local database (127.0.0.1).")
    os.environ.update(bench_environment(database_url))
    _create_database_if_missing(database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


# --- seeding -----------------------------------------------------------------------------


@dataclass
class Network:
    clinic_ids: list[Any]
    doctor_ids: list[int]
    patient_ids: list[Any]
    slot_date: dt.date  # a future Monday with appointments already booked
    specialties: list[str] = field(default_factory=lambda: list(SPECIALTIES))


def _next_monday(after_days: int = 7) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def seed_network(
    *, clinics: int = 50, doctors_per_clinic: int = 10, patients: int = 300
) -> Network:
    from clinic.models import Clinic

    slot_date = _next_monday()
    existing = Clinic.objects.filter(slug__startswith="bench-clinic-").count()
    if existing < clinics:
        started = time.perf_counter()
        _seed(clinics, doctors_per_clinic, patients)
        print(f"seeded in {time.perf_counter() - started:.1f}s")
    _book_some(slot_date)
    _analyze()
    return _load_network(slot_date)


def _analyze() -> None:
    """Fresh planner statistics: bulk-loaded tables otherwise get nested-loop plans."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _users(prefix: str, count: int, role_id: int, password: str) -> list[Any]:
    from users.models import User

    rows = [
        User(
            contact=f"+91{prefix}{index:07d}",
            name=f"{'Dr. ' if prefix.startswith('8') else ''}"
            f"{FIRST_NAMES[index % 16]} {LAST_NAMES[(index // 16) % 16]} {index}",
            role_id=role_id,
            password=password,
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
        for index in range(count)
    ]
    users = User.objects.bulk_create(rows, batch_size=1000)
    # bulk_create sends no post_save: the accounts' self profiles are made the same way.
    from users.services.profiles import self_profiles_bulk_create

    self_profiles_bulk_create(users=users)
    return users


def _seed(clinic_count: int, doctors_per_clinic: int, patient_count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
    from core.roles import RoleId
    from doctors.models import DoctorAvailability, DoctorProfile

    rng = random.Random(20261126)
    password = make_password("Quick@Care2026")
    with transaction.atomic():
        (owner,) = _users("700", 1, RoleId.CLINIC_OWNER, password)
        clinics = Clinic.objects.bulk_create(
            Clinic(
                owner=owner,
                name=f"Bench Clinic {index:03d}",
                slug=f"bench-clinic-{index:03d}",
                clinic_type="clinic",
                city=CITIES[index % len(CITIES)],
            )
            for index in range(clinic_count)
        )
        ClinicTimeSlot.objects.bulk_create(
            ClinicTimeSlot(
                clinic=clinic,
                day_of_week=day,
                start_time=dt.time(9),
                end_time=dt.time(17),
                slot_duration_minutes=15,
                max_appointments=30,
            )
            for clinic in clinics
            for day in range(6)
        )
        doctor_users = _users("810", clinic_count * doctors_per_clinic, RoleId.DOCTOR, password)
        profiles = DoctorProfile.objects.bulk_create(
            DoctorProfile(
                user=user,
                specialty=SPECIALTIES[index % len(SPECIALTIES)],
                qualification="MBBS, MD",
                registration_number=f"BN-{index:05d}",
                experience_years=rng.randint(1, 35),
                biography="Bench doctor.",
                languages="English, Hindi",
                first_visit_fee=rng.choice([200, 300, 400, 500, 600, 800, 1000]),
                follow_up_fee=rng.choice([100, 200, 300]),
                offers_video_consultation=rng.random() < 0.4,
            )
            for index, user in enumerate(doctor_users)
        )
        ClinicMember.objects.bulk_create(
            ClinicMember(
                clinic=clinics[index // doctors_per_clinic],
                user=profile.user,
                member_role="doctor",
                department=profile.specialty.title(),
                joined_at=dt.date(2026, 1, 1),
                added_by=owner,
            )
            for index, profile in enumerate(profiles)
        )
        DoctorAvailability.objects.bulk_create(
            (
                DoctorAvailability(
                    doctor=profile,
                    clinic=clinics[index // doctors_per_clinic],
                    day_of_week=day,
                    start_time=start,
                    end_time=end,
                    slot_duration_minutes=15,
                    max_patients=capacity,
                )
                for index, profile in enumerate(profiles)
                for day in range(6)
                for start, end, capacity in (
                    (dt.time(9), dt.time(13), 16),
                    (dt.time(17), dt.time(20), 10),
                )
            ),
            batch_size=2000,
        )
        _users("920", patient_count, RoleId.PATIENT, password)


def _book_some(slot_date: dt.date) -> None:
    """About a third of the morning slots of every bench doctor on `slot_date` (idempotent)."""
    from appointments.models import Appointment
    from clinic.models import ClinicMember
    from doctors.models import DoctorProfile
    from users.models import User

    if Appointment.objects.filter(appointment_date=slot_date, notes="bench").exists():
        return
    patients = list(User.objects.filter(contact__startswith="+91920").order_by("contact"))
    doctors = DoctorProfile.objects.filter(user__contact__startswith="+91810").order_by("id")
    clinic_of = dict(
        ClinicMember.objects.filter(
            user__contact__startswith="+91810", status="active"
        ).values_list("user_id", "clinic_id")
    )
    morning = [dt.time(9 + m // 60, m % 60) for m in range(0, 240, 15)]
    rows = []
    for index, doctor in enumerate(doctors):
        for slot, moment in enumerate(morning):
            if (slot + index) % 3:
                continue
            rows.append(
                Appointment(
                    patient=patients[(index * 7 + slot) % len(patients)],
                    # bulk_create skips save(): the self profile, whose id is the account's
                    patient_profile_id=patients[(index * 7 + slot) % len(patients)].pk,
                    doctor=doctor,
                    clinic_id=clinic_of[doctor.user_id],
                    appointment_date=slot_date,
                    appointment_time=moment,
                    status="confirmed" if slot % 2 else "pending",
                    fee_charged=doctor.first_visit_fee,
                    notes="bench",
                )
            )
    Appointment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _load_network(slot_date: dt.date) -> Network:
    from clinic.models import Clinic
    from doctors.models import DoctorProfile
    from users.models import User

    return Network(
        clinic_ids=list(
            Clinic.objects.filter(slug__startswith="bench-clinic-")
            .order_by("slug")
            .values_list("id", flat=True)
        ),
        doctor_ids=list(
            DoctorProfile.objects.filter(user__contact__startswith="+91810")
            .order_by("id")
            .values_list("id", flat=True)
        ),
        patient_ids=list(
            User.objects.filter(contact__startswith="+91920")
            .order_by("contact")
            .values_list("id", flat=True)
        ),
        slot_date=slot_date,
    )


# --- server ------------------------------------------------------------------------------


@contextlib.contextmanager
def server(*, workers: int = 2, port: int = 8190) -> Iterator[str]:
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **bench_environment(os.environ["DATABASE_URL"])}
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed when the server stops
        prefix="quickcare-bench-gunicorn-", suffix=".log", delete=False
    )
    command = [
        sys.executable, "-m", "gunicorn", "quickcare.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--backlog", "256", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(base_url, process, log.name)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        print(f"server stopped (gunicorn log: {log.name})")


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log_name: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_name}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/bench/ping/", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_name}")


# --- load --------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    queries: int | None = None
    queries_large: int | None = None
    target_ratio: float | None = None  # of the baseline's requests/s
    note: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_load(
    name: str,
    base_url: str,
    paths: Sequence[str],
    *,
    method: str = "GET",
    bodies: Sequence[Any] | None = None,
    headers: Sequence[dict[str, str]] | dict[str, str] | None = None,
    concurrency: int = 4,
    seconds: float = 8.0,
    max_requests: int = 20000,
    ok: Sequence[int] = (200,),
    warmup: int = 20,
) -> Result:
    if not base_url.startswith("http://127.0.0.1:"):
        raise SystemExit("Load only goes to 127.0.0.1.")
    lock = threading.Lock()
    counter = {"next": 0}
    latencies: list[float] = []
    errors = [0]
    samples: list[str] = []

    def take() -> int | None:
        with lock:
            index = counter["next"]
            if index >= max_requests:
                return None
            counter["next"] = index + 1
            return index

    def one(client: httpx.Client, index: int) -> tuple[float, bool, str]:
        kwargs: dict[str, Any] = {}
        if bodies is not None:
            kwargs["json"] = bodies[index % len(bodies)]
        if isinstance(headers, dict):
            kwargs["headers"] = headers
        elif headers:
            kwargs["headers"] = headers[index % len(headers)]
        started = time.perf_counter()
        response = client.request(method, paths[index % len(paths)], **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status_code in ok, f"{response.status_code} {response.text[:200]}"

    with httpx.Client(base_url=base_url, timeout=30) as client:
        for index in range(min(warmup, len(paths))):
            one(client, index)

    stop_at = [0.0]

    def worker() -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            while time.perf_counter() < stop_at[0]:
                index = take()
                if index is None:
                    return
                elapsed, good, sample = one(client, index)
                with lock:
                    latencies.append(elapsed)
                    if not good:
                        errors[0] += 1
                        if len(samples) < 3:
                            samples.append(sample)

    started = time.perf_counter()
    stop_at[0] = started + seconds
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = Result(name, len(latencies), errors[0], time.perf_counter() - started, latencies)
    if samples:
        result.note = f"errors, e.g. {samples[0]}"
    return result


# --- queries -----------------------------------------------------------------------------


def queries_per_request(
    path: str,
    *,
    method: str = "GET",
    body: Any = None,
    headers: dict[str, str] | None = None,
    expect: Sequence[int] = (200, 201),
) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = {
        f"HTTP_{key.upper().replace('-', '_')}": value for key, value in (headers or {}).items()
    }
    with CaptureQueriesContext(connection) as captured:
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic(
                method, path, data=_json(body), content_type="application/json", **extra
            )
    if response.status_code not in expect:
        body = response.content[:300]
        raise SystemExit(f"{method} {path} answered {response.status_code}: {body!r}")
    return len(captured.captured_queries)


def _json(body: Any) -> str:
    import json

    return json.dumps(body, default=str)


def token_for(user: Any) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    return str(RefreshToken.for_user(user).access_token)


# --- report ------------------------------------------------------------------------------


def print_results(results: Sequence[Result], baseline: Result) -> bool:
    header = f"{'scenario':<44}{'req':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'err':>5}"
    header += f"{'SQL/req':>10}{'vs base':>9}  target"
    print()
    print(header)
    print("-" * len(header))
    passed = True
    for result in results:
        ratio = result.rps / baseline.rps if baseline.rps else 0.0
        queries = "-" if result.queries is None else str(result.queries)
        if result.queries_large is not None:
            queries += f"/{result.queries_large}"
        verdict = ""
        if result.target_ratio is not None:
            good = ratio >= result.target_ratio and not result.errors
            if result.queries_large is not None:
                good = good and result.queries == result.queries_large
            verdict = ("ok" if good else "MISSED") + f" (>= {result.target_ratio:.2f}x)"
            passed = passed and good
        print(
            f"{result.name:<44}{result.requests:>7}{result.rps:>9.0f}"
            f"{result.percentile(0.5):>9.1f}{result.percentile(0.95):>9.1f}{result.errors:>5}"
            f"{queries:>10}{ratio:>8.2f}x  {verdict}"
        )
        if result.note:
            print(f"    {result.note}")
    print()
    print("SQL/req a/b: statements for a small/large case (must be equal: constant queries).")
    return passed


@dataclass
class BenchContext:
    base_url: str
    network: Network
    run_load: Callable[..., Result] = run_load
    queries_per_request: Callable[..., int] = queries_per_request
    token_for: Callable[[Any], str] = token_for
    results: list[Result] = field(default_factory=list)


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0
