"""`make smoke`: start `make serve` (2 gunicorn workers, DEBUG off) and `make worker` with the
`.env.production.example` values on PostgreSQL + Redis + S3 (moto's server on loopback), wait
for /health/, run one clinic's and one patient's whole flow over HTTP, stop both by their
process groups, and print each step's time.

Loopback plain HTTP is allowed only explicitly (SECURE_SSL_REDIRECT=False); SMS go to a file
(core.sms.FileBackend) where the OTPs and the temporary password are read back. The database
`<DATABASE_URL's name>_smoke` is made anew each run and Redis db SMOKE_REDIS_DB is flushed.
Needs DATABASE_URL (PostgreSQL) and CACHE_URL (redis://) in the environment.
"""

import base64
import datetime as dt
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "quickcare-smoke-documents"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OWNER, DOCTOR, PATIENT = 9811100001, 9811100002, 9811100003
PASSWORD = "Smoke-Test-Lotus-42"
timings: list[tuple[str, float]] = []


class SmokeFailure(Exception):
    pass


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    timings.append((name, elapsed))
    print(f"  {name:<50} {elapsed * 1000:8.0f} ms", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def expect(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise SmokeFailure(
            f"{response.request.method} {response.request.url.path}: {response.status_code} "
            f"(expected {status}): {response.text[:500]}"
        )
    return response.json() if response.content else None


def fresh_database(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SmokeFailure("DATABASE_URL must be PostgreSQL")
    name = parts.path.lstrip("/") + "_smoke"
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def flushed_redis(url: str) -> str:
    import redis

    parts = urlsplit(url)
    if parts.scheme != "redis":
        raise SmokeFailure("CACHE_URL must be redis://")
    smoke_url = urlunsplit(parts._replace(path=f"/{os.environ.get('SMOKE_REDIS_DB', '14')}"))
    redis.Redis.from_url(smoke_url).flushdb()
    return smoke_url


def s3_endpoint() -> tuple[str, Callable[[], None]]:
    """moto's S3 server on a loopback port, with the bucket made."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request lines
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-south-1",
        aws_access_key_id="smoke",
        aws_secret_access_key="smoke",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    return endpoint, server.stop


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(  # its own process group: stopped as a whole
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def read_sms(path: Path, to: str, pattern: str, timeout: float = 60) -> str:
    """The newest match of `pattern` in an SMS to `to` (the worker sends them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in reversed(path.read_text().splitlines()):
                message = json.loads(line)
                match = re.search(pattern, message["body"])
                if message["to"] == to and match:
                    return match.group(1)
        time.sleep(0.2)
    raise SmokeFailure(f"no SMS to {to} matching {pattern!r} within {timeout}s")


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(f"make serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/health/", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SmokeFailure(f"/health/ did not answer 200 within {timeout}s")


def registered(http: httpx.Client, sms: Path, flow: str, contact: int, name: str) -> dict:
    """Steps 1 and 2 of a registration, the OTP read from the SMS file."""
    body = {"contact": contact, "name": name, "password": PASSWORD}
    expect(http.post(f"/api/users/onboarding/{flow}/step1/", json=body), 200)
    otp = read_sms(sms, f"+91{contact}", r"\b(\d{6})\b")
    return expect(
        http.post(f"/api/users/onboarding/{flow}/step2/", json={"contact": contact, "otp": otp}),
        201,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def next_weekday(days_ahead: int = 7) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days_ahead)


def flow(base: str, sms: Path) -> None:
    http = httpx.Client(base_url=base, timeout=30)
    date = next_weekday()
    day_index = date.weekday()
    with step("clinic owner registers (OTP) and opens a clinic"):
        owner = registered(http, sms, "clinic", OWNER, "Anil Gupta")["access"]
        clinic_body = {
            "name": "Smoke Test Clinic",
            "clinic_type": "clinic",
            "phone": "9811100009",
            "email": "smoke@example.com",
            "address": "12, MG Road",
            "city": "Jaipur",
            "state": "Rajasthan",
            "pincode": "302001",
            "registration_number": "RJ-SMOKE-001",
            "time_slots": [
                {
                    "day_of_week": day_index,
                    "start_time": "09:00",
                    "end_time": "13:00",
                    "slot_duration_minutes": 15,
                    "max_appointments": 20,
                }
            ],
        }
        clinic = expect(
            http.post("/api/clinics/onboarding/step3/", json=clinic_body, headers=bearer(owner)),
            201,
        )
        clinic_id = clinic.get("id") or clinic["clinic"]["id"]
    with step("owner adds a doctor (temporary password)"):
        member = {"contact": DOCTOR, "name": "Dr. Suresh Yadav", "member_role": "doctor"}
        expect(
            http.post(f"/api/clinics/{clinic_id}/members/", json=member, headers=bearer(owner)),
            201,
        )
        temp = read_sms(sms, f"+91{DOCTOR}", r"Temporary password: (\S+)")
    with step("doctor logs in, completes the profile, opens hours"):
        login = expect(
            http.post("/api/users/login/", json={"contact": DOCTOR, "password": temp}), 200
        )
        profile = {"gender": "male", "age": 40, "specialty": "Cardiology", "experience_years": 9}
        completed = expect(
            http.put(
                "/api/users/onboarding/member/complete/",
                json=profile,
                headers=bearer(login["access"]),
            ),
            200,
        )
        doctor = expect(
            http.put(
                "/api/users/password/change/",
                json={"password": PASSWORD, "current_password": temp},
                headers=bearer(completed["access"]),
            ),
            200,
        )["access"]
        me = expect(http.get("/api/doctors/me/", headers=bearer(doctor)), 200)
        doctor_id = me["id"]
        hours = {
            "clinic": clinic_id,
            "day": date.strftime("%A").lower(),
            "start_time": "09:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_patients": 20,
        }
        expect(
            http.post(
                f"/api/doctors/{doctor_id}/availability/", json=hours, headers=bearer(doctor)
            ),
            201,
        )
    with step("patient registers (OTP) and completes step 3"):
        patient = registered(http, sms, "patient", PATIENT, "Rahul Sharma")["access"]
        expect(
            http.patch(
                "/api/users/onboarding/patient/step3/",
                json={"gender": "male", "age": 30},
                headers=bearer(patient),
            ),
            200,
        )
    with step("patient finds a free slot and books it"):
        slots = expect(
            http.get(
                f"/api/doctors/{doctor_id}/availability/slots/",
                params={"date": date.isoformat(), "clinic_id": clinic_id},
            ),
            200,
        )["available_slots"]
        if not slots:
            raise SmokeFailure(f"no free slot on {date}")
        booking = {
            "doctor": doctor_id,
            "clinic": clinic_id,
            "appointment_date": date.isoformat(),
            "appointment_time": slots[0],
            "appointment_type": "first_visit",
            "mode": "in_clinic",
        }
        expect(http.post("/api/appointments/my/", json=booking, headers=bearer(patient)), 201)
    with step("patient uploads a document (S3)"):
        document = expect(
            http.post(
                "/api/documents/",
                data={"title": "CBC report", "document_type": "lab_report"},
                files={"file": ("cbc.pdf", PDF, "application/octet-stream")},
                headers=bearer(patient),
            ),
            201,
        )
    with step("doctor requests consent, patient grants it"):
        expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat()
        request = {"document": document["id"], "purpose": "Review", "expires_at": expires}
        consent = expect(
            http.post("/api/documents/consent/request/", json=request, headers=bearer(doctor)),
            201,
        )
        expect(
            http.patch(
                f"/api/documents/consent/{consent['id']}/action/",
                json={"action": "grant"},
                headers=bearer(patient),
            ),
            200,
        )
    with step("doctor downloads it (signed link, presigned S3)"):
        detail = expect(http.get(f"/api/documents/{document['id']}/", headers=bearer(doctor)), 200)
        redirect = http.get(detail["file"])
        if redirect.status_code != 302:
            raise SmokeFailure(f"download answered {redirect.status_code}, not a redirect")
        body = httpx.get(redirect.headers["Location"], timeout=30)
        if body.status_code != 200 or body.content != PDF:
            raise SmokeFailure(f"S3 answered {body.status_code} without the uploaded bytes")


def main() -> int:
    database_url, cache_url = os.environ.get("DATABASE_URL"), os.environ.get("CACHE_URL")
    if not database_url or not cache_url:
        print("make smoke needs DATABASE_URL (postgres://) and CACHE_URL (redis://)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="quickcare-smoke-"))
    sms = work / "sms.jsonl"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    total = time.perf_counter()
    endpoint, stop_s3 = s3_endpoint()
    env = {
        **os.environ,
        "ENV_FILE": str(ROOT / ".env.production.example"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Loopback plain HTTP, allowed explicitly (the example redirects to HTTPS).
        "SECURE_SSL_REDIRECT": "False",
        "NUM_PROXIES": "0",
        "DATABASE_URL": fresh_database(database_url),
        "CACHE_URL": flushed_redis(cache_url),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke",
        "SMS_BACKEND": "core.sms.FileBackend",
        "SMS_FILE_PATH": str(sms),
    }
    make = ["make", "-s", "-o", ".venv/bin/.installed"]
    print(f"== Smoke: make serve on {base} (logs in {work})", flush=True)
    server = start([*make, "serve", f"PORT={port}", "WORKERS=2"], env, work / "serve.log")
    worker: subprocess.Popen[bytes] | None = None
    try:
        with step("make serve: migrate, collectstatic, /health/ 200"):
            wait_healthy(base, server)
        worker = start([*make, "worker"], env, work / "worker.log")
        flow(base, sms)
        with step("stop web and worker (process groups, SIGTERM)"):
            stop(server)
            stop(worker)
        if server.returncode not in (0, -signal.SIGTERM):
            raise SmokeFailure(f"make serve ended with {server.returncode}")
    except SmokeFailure as failure:
        print(f"SMOKE FAILED: {failure}")
        for log in ("serve.log", "worker.log"):
            print(f"--- {log} (last lines)")
            if (work / log).exists():
                print("\n".join((work / log).read_text(errors="replace").splitlines()[-30:]))
        return 1
    finally:
        stop(server)
        if worker is not None:
            stop(worker)
        stop_s3()
    print(f"  {'total':<50} {(time.perf_counter() - total) * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
