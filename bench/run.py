"""`make bench` (`python -m bench.run`): issue 16's measurements in one run, as a markdown table.

Seeds the network (bench/seed.py: 50 clinics, 500 doctors, 2,000 patients, 10,000
appointments per unit of `--scale`), serves the limit app (bench/limit: Django + DRF, one SQL
statement on a persistent connection, and a static JSON view) and then QuickCare with the same
gunicorn command line, drives both with wrk at `--connections` (16), and reports for every
workload req/s, its ratio to the limit app's one-query view, p50/p95, SQL statements per
request, and the CPU per request of the gunicorn workers, the PostgreSQL backends and the load
generator (it shares the two cores). Then the booking scenarios (bench/booking.py).

Options: `--database-url` (default $BENCH_DATABASE_URL or postgres://root@127.0.0.1:5432/
quickcare_bench; `--scale N` uses `<name>_xN`), `--seconds` per workload (default 10; 3 gives a
quick run of a few minutes), `--connections` (16), `--workers` (2), `--port` (8190; the limit
app uses port + 1), `--only reads,lists,login,booking` (default all), `--no-kill`.
Exit status 1 if a target of issue 16 is missed; the servers are stopped in every case.
"""

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from bench import booking, common, load, seed
from bench.common import Result, spread
from bench.limit import LOGGED_ROWS, LOGGED_TABLE, STAGED_TABLE
from bench.load import Req

DASH = "\u2013"  # an en dash: the table's empty cell
GROUPS = ("reads", "lists", "login", "booking")
LIMIT = "limit app: one SQL statement"
LOGGED = f"limit app: one SQL statement + {LOGGED_ROWS} access events on a hash chain"
LOGGED_ONCE = "limit app: one SQL statement + 1 access event on a hash chain"
STAGED = f"limit app: one SQL statement + {LOGGED_ROWS} access events staged, chained later"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--only", default=",".join(GROUPS))
    parser.add_argument("--no-kill", action="store_true", help="Skip the SIGKILL scenario.")
    args = parser.parse_args(argv)
    args.only = {group.strip() for group in args.only.split(",") if group.strip()}
    if unknown := args.only - set(GROUPS):
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    return args


# --- targets -------------------------------------------------------------------------------


def at_least_ratio(ratio: float) -> tuple[Callable[[Result, dict[str, Result]], bool], str]:
    def check(result: Result, results: dict[str, Result]) -> bool:
        limit = results.get(LIMIT)
        return bool(limit and limit.rps and result.rps / limit.rps >= ratio and not result.errors)

    return check, f">= {ratio}x limit"


def login_target(result: Result, results: dict[str, Result]) -> bool:
    return result.rps >= 40 and result.percentile(0.95) < 600 and not result.errors


def booking_target(result: Result, results: dict[str, Result]) -> bool:
    sql = result.sql_per_request
    return result.rps >= 250 and sql is not None and sql <= 6 and not result.errors


def no_errors(result: Result, results: dict[str, Result]) -> bool:
    return result.errors == 0


# --- workloads -----------------------------------------------------------------------------


def limit_workloads(network: seed.Network) -> list[tuple[str, list[Req]]]:
    slugs = [f"bench-clinic-{index:04d}" for index in range(len(network.clinic_ids))]
    return [
        (LIMIT, [Req(f"/limit/query/?slug={slug}") for slug in slugs]),
        ("limit app: static JSON", [Req("/limit/static/")]),
        (LOGGED, [Req(f"/limit/logged/?slug={slug}") for slug in slugs]),
        (LOGGED_ONCE, [Req(f"/limit/logged-once/?slug={slug}") for slug in slugs]),
        (STAGED, [Req(f"/limit/staged/?slug={slug}") for slug in slugs]),
    ]


@contextlib.contextmanager
def logged_table() -> Iterator[None]:
    """The logged read's table, shaped like the audit chain's (columns, indexes), and the
    staged read's (the same columns but the chain's, its primary key only), both empty."""
    from django.db import connection

    from audit.models import AuditEvent

    chain = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LOGGED_TABLE}, {STAGED_TABLE}")
        cursor.execute(f"CREATE TABLE {LOGGED_TABLE} (LIKE {chain} INCLUDING ALL)")
        cursor.execute(
            f"CREATE TABLE {STAGED_TABLE} (LIKE {chain} INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cursor.execute(f"ALTER TABLE {STAGED_TABLE} ADD PRIMARY KEY (id)")
        for column in ("seq", "body", "prev_hash", "hash"):
            cursor.execute(f"ALTER TABLE {STAGED_TABLE} DROP COLUMN {column}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {LOGGED_TABLE}, {STAGED_TABLE}")


def read_workloads(network: seed.Network) -> list[tuple[str, list[Req]]]:
    date = network.slot_date.isoformat()
    doctors = network.doctor_ids
    clinics = spread(network.clinic_ids, 50)
    return [
        ("`GET /bench/ping/` (DRF inside QuickCare's middleware)", [Req("/bench/ping/")]),
        ("`GET /api/doctors/`", [Req(f"/api/doctors/?page={page}") for page in range(1, 6)]),
        (
            "`GET /api/doctors/?specialty=`",
            [Req(f"/api/doctors/?specialty={s.replace(' ', '+')}") for s in network.specialties],
        ),
        (
            "`GET /api/doctors/?search=`",
            [Req(f"/api/doctors/?search={name}") for name in seed.LAST_NAMES],
        ),
        ("`GET /api/doctors/<id>/`", [Req(f"/api/doctors/{d}/") for d in spread(doctors, 100)]),
        (
            "`GET /api/doctors/<id>/availability/slots/?date=`",
            [Req(f"/api/doctors/{d}/availability/slots/?date={date}") for d in spread(doctors, 72)],
        ),
        (
            "`GET /api/clinics/public/?city=`",
            [Req(f"/api/clinics/public/?city={city}") for city in seed.CITIES],
        ),
        ("`GET /api/clinics/<id>/`", [Req(f"/api/clinics/{c}/") for c in clinics]),
    ]


def _bearer(user_id: Any) -> dict[str, str]:
    from users.models import User

    return {"Authorization": f"Bearer {common.token_for(User.objects.get(pk=user_id))}"}


def list_workloads(network: seed.Network) -> list[tuple[str, list[Req]]]:
    from doctors.models import DoctorProfile
    from users.models import User

    patient = _bearer(network.busy_patient_id)
    doctor_user = DoctorProfile.objects.get(pk=network.day_doctor_id).user_id
    doctor = _bearer(doctor_user)
    date = network.slot_date.isoformat()
    return [
        (
            "`GET /api/appointments/my/` (patient with 92, page of 20)",
            [Req(f"/api/appointments/my/?page={p}&page_size=20", headers=patient) for p in (1, 2)],
        ),
        (
            "`GET /api/appointments/doctor/?date=` (16 that day)",
            [Req(f"/api/appointments/doctor/?date={date}", headers=doctor)],
        ),
        (
            "`GET /api/appointments/queue/?doctor=&date=` (the desk, 16 that day)",
            [
                Req(
                    f"/api/appointments/queue/?doctor={network.day_doctor_id}&date={date}",
                    headers=_bearer(User.objects.get(contact=seed.OWNER_CONTACT).pk),
                )
            ],
        ),
        # The access log first: every documents list below appends a `file_link` event per
        # listed document to the patient's chain, so the log grows while they run.
        (
            "`GET /api/documents/access-log/` (patient, 100+ events, page of 20)",
            [Req(f"/api/documents/access-log/?page={p}", headers=patient) for p in (1, 2, 3)],
        ),
        (
            "`GET /api/documents/consent/mine/` (patient, 23 requests, page of 20)",
            [Req(f"/api/documents/consent/mine/?page={p}", headers=patient) for p in (1, 2)],
        ),
        (
            "`GET /api/documents/` (patient with 30, page of 20)",
            [Req(f"/api/documents/?page={p}", headers=patient) for p in (1, 2)],
        ),
        (
            "`GET /api/documents/` (doctor, 20 shared with them)",
            [Req("/api/documents/", headers=doctor)],
        ),
    ]


def check_lists(base_url: str, workloads: list[tuple[str, list[Req], Any]]) -> None:
    """Each list's first request answers 200 with rows (a page, or the queue's `entries`), or
    the run stops: a 403 or an empty page would be timed as fast as any other answer."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for name, requests, _ in workloads:
            req = requests[0]
            response = client.request(req.method, req.path, headers=req.headers)
            body = response.json() if response.status_code == 200 else None
            rows = body.get("entries") if isinstance(body, dict) else body  # the queue's board
            if not isinstance(rows, list) or not rows:
                raise SystemExit(f"{name}: {req.path} answered {response.status_code} "
                                 f"{response.text[:300]}")  # fmt: skip
            total = response.headers.get("X-Total-Count", "?")
            print(f"checked {req.path}: 200, {len(rows)} rows of {total}")


def login_workload(network: seed.Network) -> list[Req]:
    contacts = [f"+91920{index:07d}" for index in range(1, 201)]
    return [
        Req("/api/users/login/", "POST", body={"contact": c, "password": seed.PASSWORD})
        for c in contacts
    ]


# --- the run -------------------------------------------------------------------------------


def run_limit(args: argparse.Namespace, network: seed.Network) -> list[Result]:
    results = []
    with (
        logged_table(),
        common.server("limit", workers=args.workers, port=args.port + 1) as limit,
    ):
        meter = load.Meter(limit)
        for name, requests in limit_workloads(network):
            kw = {"connections": args.connections, "seconds": args.seconds}
            results.append(load.measure(meter, name, requests, **kw))
    for result in results[1:]:
        result.ratio_to = LIMIT
    return results


def run_quickcare(args: argparse.Namespace, network: seed.Network) -> tuple[list[Result], str]:
    results: list[Result] = []
    kw = {"connections": args.connections, "seconds": args.seconds}
    with common.server("quickcare", workers=args.workers, port=args.port) as app:
        meter = load.Meter(app)
        workloads: list[tuple[str, list[Req], Any]] = []
        if "reads" in args.only:
            workloads += [(n, r, at_least_ratio(0.8)) for n, r in read_workloads(network)]
            workloads[0] = (*workloads[0][:2], None)  # the ping row is for comparison only
        if "lists" in args.only:
            lists = [(n, r, at_least_ratio(0.5)) for n, r in list_workloads(network)]
            check_lists(app.base_url, lists)
            workloads += lists
        if "login" in args.only:
            target = (login_target, ">= 40/s, p95 < 600 ms")
            workloads.append(("`POST /api/users/login/`", login_workload(network), target))
        for name, requests, target in workloads:
            result = load.measure(meter, name, requests, **kw)
            if target:
                result.target, result.target_text = target
            if "login" not in name:
                result.ratio_to = LIMIT
            results.append(result)
        if "booking" in args.only:
            ctx = common.BenchContext(
                server=app,
                network=network,
                seconds=args.seconds,
                connections=args.connections,
                run_load=load.run_wrk,
                measure=load.measure,
            )
            booked = booking.main(ctx, meter, kill=not args.no_kill)
            booked[0].target, booked[0].target_text = booking_target, ">= 250/s at <= 6 SQL"
            for result in booked[1:]:
                result.target, result.target_text = no_errors, "no error"
            results += booked
    return results, meter.counter.source


def _cell(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value:,.{digits}f}"


def markdown_table(results: list[Result]) -> tuple[str, bool]:
    by_name = {result.name: result for result in results}
    limit = by_name.get(LIMIT)
    lines = [
        "| workload | req/s | ÷ limit | p50 ms | p95 ms | SQL/req | server CPU ms/req "
        "| DB CPU ms/req | client CPU ms/req | errors | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    passed = True
    for result in results:
        ratio = DASH
        if limit and limit.rps and result.ratio_to == LIMIT:
            ratio = f"{result.rps / limit.rps:.2f}"
        verdict = ""
        if result.target is not None:
            good = result.target(result, by_name)
            passed = passed and good
            verdict = f"{'ok' if good else '**MISSED**'} ({result.target_text})"
        rate = f"{result.rps:,.1f}" + ("" if result.unit == "req/s" else f" {result.unit}")
        if result.rate_text:
            rate = result.rate_text
        lines.append(
            f"| {result.name} | {rate} | {ratio} | {_cell(result.percentile(0.5))} "
            f"| {_cell(result.percentile(0.95))} | {_cell(result.sql_per_request, 2)} "
            f"| {_cell(result.server_cpu_ms, 2)} | {_cell(result.db_cpu_ms, 2)} "
            f"| {_cell(result.client_cpu_ms, 2)} | {result.errors} | {verdict} |"
        )
    return "\n".join(lines), passed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    database_url = common.scaled_database_url(args.database_url, args.scale)
    common.setup_django(database_url)
    network = seed.seed_network(scale=args.scale)
    results = run_limit(args, network)
    app_results, sql_source = run_quickcare(args, network)
    results += app_results
    table, passed = markdown_table(results)
    print()
    print(
        f"{len(network.clinic_ids):,} clinics, {len(network.doctor_ids):,} doctors, "
        f"{len(network.patient_ids):,} patients, {network.appointments:,} appointments "
        f"(scale {args.scale}); gunicorn {args.workers} sync workers per app; wrk 1 thread, "
        f"{args.connections} connections, {args.seconds:.0f} s per workload; "
        f"{os.cpu_count()} cores shared by servers, PostgreSQL and client; "
        f"SQL/req from {sql_source}."
    )
    print()
    print(table)
    notes = [f"- {r.name}: {r.note.strip('; ')}" for r in results if r.note]
    if notes:
        print()
        print("\n".join(notes))
    print()
    print(f"total {time.perf_counter() - started:.0f} s; targets {'met' if passed else 'MISSED'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
