"""`python -m bench.profile`: where the CPU of an authenticated list goes (pyinstrument).

Runs the bench's seeded network in-process (bench settings, DEBUG off, the WSGI handler with
every middleware, a persistent connection) and profiles `--requests` calls of the patient's
`GET /api/appointments/my/` and the doctor's `GET /api/appointments/doctor/?date=`, after a
warm-up. Prints pyinstrument's call tree per endpoint and the share of a few layers:
JWT decoding, the user lookup with its revocation check, middleware, serializers, rendering.

    python -m bench.profile [--database-url URL] [--requests 300] [--path /api/...]
"""

import argparse
import os
import sys
import time
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


def _client_for(path: str, user_id: object) -> tuple[object, dict[str, str]]:
    from django.test import Client

    from users.models import User

    token = common.token_for(User.objects.get(pk=user_id))
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def profile(path: str, user_id: object, requests: int) -> None:
    from pyinstrument import Profiler

    client, headers = _client_for(path, user_id)
    for _ in range(20):
        assert client.get(path, **headers).status_code == 200  # type: ignore[attr-defined]
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path, **headers)  # type: ignore[attr-defined]
    plain = (time.perf_counter() - started) / requests * 1000
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        client.get(path, **headers)  # type: ignore[attr-defined]
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n## {path}: {plain:.2f} ms per request in-process "
        f"({elapsed / requests * 1000:.2f} ms profiled); own time per layer:"
    )
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    shares = {layer: 0.0 for layer, _ in LAYERS} | {"other": 0.0}

    def walk(frame: Any, parent_file: str = "") -> None:
        # pyinstrument keeps a frame's own time in a synthetic "[self]" child without a file
        file = frame.file_path or parent_file
        layer = next((name for name, marks in LAYERS if any(m in file for m in marks)), "other")
        shares[layer] += frame.time - sum(child.time for child in frame.children)
        for child in frame.children:
            walk(child, file)

    walk(root)
    total = sum(shares.values()) or 1.0
    for layer, spent in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"- {layer}: {spent / requests * 1000:.2f} ms ({spent / total:.0%})")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    common.setup_django(args.database_url)
    network = seed.seed_network()
    from doctors.models import DoctorProfile

    doctor_user = DoctorProfile.objects.get(pk=network.day_doctor_id).user_id
    date = network.slot_date.isoformat()
    profile("/api/appointments/my/?page=1&page_size=20", network.busy_patient_id, args.requests)
    profile(f"/api/appointments/doctor/?date={date}", doctor_user, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
