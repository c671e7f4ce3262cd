"""`python -m bench.profile`: where the CPU of an authenticated list goes (pyinstrument).

Runs the bench's seeded network in-process (bench settings, DEBUG off, the WSGI handler with
every middleware, a persistent connection) and profiles `--requests` calls of the patient's
`GET /api/appointments/my/` and the doctor's `GET /api/appointments/doctor/?date=`, after a
warm-up. Prints pyinstrument's call tree per endpoint and the share of a few layers:
JWT decoding, the user lookup with its revocation check, middleware, serializers, rendering.

`--queue` profiles the front desk's `GET /api/appointments/queue/?doctor=&date=` (the
bench's desk: the clinics' owner, the day doctor's 16 appointments) instead.

`--booking` profiles `POST /api/appointments/my/` instead: every request books a different
free slot of the bench's throughput week (`bench.booking.distinct_slots`, different patients
and doctors, as the load does), with the SQL statements per booking; the dates are cleared
before and after.

    python -m bench.profile [--database-url URL] [--requests 300] [--booking | --queue]
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench import common, seed

LAYERS = [
    # (layer, path fragments): a frame's own time goes to the first layer its file matches
    (
        "JWT decode (simplejwt, PyJWT, cryptography)",
        ("simplejwt/tokens", "simplejwt/backends", "/jwt/", "simplejwt/state"),
    ),
    ("user lookup + revocation check", ("users/authentication.py", "simplejwt/authentication")),
    ("phone number formatting", ("phonenumber", "core/fields.py")),
    (
        "DRF serializers and fields",
        (
            "rest_framework/serializers.py",
            "rest_framework/fields.py",
            "rest_framework/relations.py",
            "/serializers.py",
        ),
    ),
    ("rendering (JSON)", ("rest_framework/renderers.py", "core/renderers.py", "json/")),
    ("slot engine and its inputs", ("doctors/slot_engine.py", "appointments/slots.py")),
    (
        "notifications outbox (receivers, rendering, rows)",
        ("notifications/", "babel", "django/utils/translation", "gettext"),
    ),
    ("audit chain (append, canonical JSON, hash)", ("audit/",)),
    ("booking service and waitlist", ("appointments/services.py", "appointments/waitlist")),
    ("ORM: SQL compile, model instances", ("django/db/models/",)),
    ("database driver (psycopg) and wire", ("psycopg", "django/db/backends/")),
    (
        "middleware",
        (
            "middleware",
            "core/logs.py",
            "core/api_timezone.py",
            "corsheaders",
            "whitenoise",
            "django/contrib/sessions",
            "django/contrib/messages",
        ),
    ),
    (
        "DRF request, permissions, pagination",
        ("rest_framework/", "core/pagination.py", "core/permissions.py"),
    ),
    (
        "Django request/response, URLs",
        ("django/core/handlers", "django/http", "django/urls", "django/test"),
    ),
]


def _headers(user_id: object) -> dict[str, str]:
    from users.models import User

    token = common.token_for(User.objects.get(pk=user_id))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _statements(call: Callable[[], None]) -> int:
    from django.db import connection

    count = [0]

    def counted(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        call()
    return count[0]


def profile(label: str, calls: Iterator[Callable[[], None]], requests: int, files: int = 0) -> None:
    """Warm up, time `requests` calls plainly, then `requests` more under pyinstrument."""
    from pyinstrument import Profiler

    for _ in range(20):
        next(calls)()
    statements = sum(_statements(next(calls)) for _ in range(10)) / 10
    batch = [next(calls) for _ in range(requests)]
    started, cpu = time.perf_counter(), time.process_time()
    for call in batch:
        call()
    plain = (time.perf_counter() - started) / requests * 1000
    cpu_ms = (time.process_time() - cpu) / requests * 1000
    batch = [next(calls) for _ in range(requests)]
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    for call in batch:
        call()
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n## {label}: {plain:.2f} ms per request in-process, {cpu_ms:.2f} ms of it CPU "
        f"({elapsed / requests * 1000:.2f} ms profiled), {statements:.1f} SQL statements; "
        "own time per layer (wall clock: the driver's share includes waiting for the database):"
    )
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    shares = {layer: 0.0 for layer, _ in LAYERS} | {"other": 0.0}
    own: dict[str, float] = {}

    def walk(frame: Any, parent_file: str = "") -> None:
        # pyinstrument keeps a frame's own time in a synthetic "[self]" child without a file
        file = frame.file_path or parent_file
        layer = next((name for name, marks in LAYERS if any(m in file for m in marks)), "other")
        spent = frame.time - sum(child.time for child in frame.children)
        shares[layer] += spent
        own[file] = own.get(file, 0.0) + spent
        for child in frame.children:
            walk(child, file)

    walk(root)
    total = sum(shares.values()) or 1.0
    for layer, spent in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"- {layer}: {spent / requests * 1000:.2f} ms ({spent / total:.0%})")
    if files:
        print("own time per file, the top", files)
        for file, spent in sorted(own.items(), key=lambda item: -item[1])[:files]:
            print(f"- {file}: {spent / requests * 1000:.2f} ms")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def _gets(path: str, user_id: object) -> Iterator[Callable[[], None]]:
    from django.test import Client

    client, headers = Client(), _headers(user_id)

    def call() -> None:
        assert client.get(path, **headers).status_code == 200

    while True:
        yield call


def _bookings(network: Any, dates: list[Any]) -> Iterator[Callable[[], None]]:
    """One call per distinct slot; each patient's client and token made once."""
    from django.test import Client

    from bench.booking import distinct_slots

    patients = network.patient_ids[1:2001]  # as bench.booking.patient_tokens
    clients: dict[int, tuple[Any, dict[str, str]]] = {}
    for index, body in distinct_slots(network.doctor_ids, len(patients), dates):
        if index not in clients:
            clients[index] = (Client(), _headers(patients[index]))
        client, headers = clients[index]

        def call(client: Any = client, headers: Any = headers, body: Any = body) -> None:
            response = client.post(
                "/api/appointments/my/", body, content_type="application/json", **headers
            )
            assert response.status_code == 201, response.content

        yield call


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--files", type=int, default=0, help="Also list the top N files.")
    parser.add_argument(
        "--booking", action="store_true", help="Profile booking distinct slots instead."
    )
    parser.add_argument(
        "--documents",
        action="store_true",
        help="Profile the document lists (the patient's and the doctor's) instead.",
    )
    parser.add_argument(
        "--queue", action="store_true", help="Profile the front desk's queue read instead."
    )
    args = parser.parse_args(argv)
    common.setup_django(args.database_url)
    network = seed.seed_network()
    if args.booking:
        from bench.booking import THROUGHPUT_DAYS, clear

        dates = [network.slot_date + dt.timedelta(days=day) for day in THROUGHPUT_DAYS]
        clear(dates)
        try:
            profile(
                "POST /api/appointments/my/ (booking)",
                _bookings(network, dates),
                args.requests,
                args.files,
            )
        finally:
            clear(dates)
        return 0
    from doctors.models import DoctorProfile

    doctor_user = DoctorProfile.objects.get(pk=network.day_doctor_id).user_id
    if args.documents:
        mine = "/api/documents/?page=1"
        profile(mine, _gets(mine, network.busy_patient_id), args.requests, args.files)
        shared = "/api/documents/"
        profile(shared, _gets(shared, doctor_user), args.requests, args.files)
        return 0
    date = network.slot_date.isoformat()
    if args.queue:
        from users.models import User

        desk = User.objects.get(contact=seed.OWNER_CONTACT).pk
        queue = f"/api/appointments/queue/?doctor={network.day_doctor_id}&date={date}"
        profile(queue, _gets(queue, desk), args.requests, args.files)
        return 0
    my = "/api/appointments/my/?page=1&page_size=20"
    profile(my, _gets(my, network.busy_patient_id), args.requests)
    day = f"/api/appointments/doctor/?date={date}"
    profile(day, _gets(day, doctor_user), args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
