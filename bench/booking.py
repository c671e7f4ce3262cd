"""Booking under load: throughput on distinct slots, and contention on a few hot slots.

`bench.run` calls `main(ctx)` with the seeded network and a running server; alone,
`python -m bench.booking` seeds, serves and measures by itself (same options as bench.run).
Afterwards SQL counts double bookings (doctor or patient) and window overruns: all must be 0.
Dates used: the network's slot date + 7 days (distinct slots) and + 14 days (contention);
their appointments are deleted before each run, so the bench can be repeated.
"""

import datetime as dt
import os
import sys
from typing import Any

from bench import common

MORNING = [dt.time(9 + m // 60, m % 60) for m in range(0, 240, 15)]  # 16 slots, capacity 16
HOT_DOCTORS = 10
HOT_TIMES = MORNING[:2]
ATTEMPTS_PER_HOT_SLOT = 10

DOUBLE_BOOKINGS_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM appointments_appointment
    WHERE status IN ('pending', 'confirmed') AND appointment_date = ANY(%(dates)s)
    GROUP BY {columns} HAVING count(*) > 1
) AS duplicated
"""
# Active appointments per availability window and date above the window's max_patients.
WINDOW_OVERRUNS_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM appointments_appointment a
    JOIN doctors_doctoravailability w
      ON w.doctor_id = a.doctor_id AND w.clinic_id = a.clinic_id AND w.is_active
     AND w.day_of_week = EXTRACT(ISODOW FROM a.appointment_date) - 1
     AND a.appointment_time >= w.start_time AND a.appointment_time < w.end_time
    WHERE a.status IN ('pending', 'confirmed') AND a.appointment_date = ANY(%(dates)s)
    GROUP BY w.id, a.appointment_date, w.max_patients HAVING count(*) > w.max_patients
) AS overrun
"""


def _clear(dates: list[dt.date]) -> None:
    from appointments.models import Appointment

    Appointment.objects.filter(
        appointment_date__in=dates, doctor__user__contact__startswith="+91810"
    ).delete()


def _tokens(network: common.Network, ctx: common.BenchContext) -> list[dict[str, str]]:
    from users.models import User

    users = {user.pk: user for user in User.objects.filter(pk__in=network.patient_ids)}
    return [{"Authorization": f"Bearer {ctx.token_for(users[pk])}"} for pk in network.patient_ids]


def _body(doctor_id: int, date: dt.date, moment: dt.time) -> dict[str, Any]:
    return {
        "doctor": doctor_id,
        "appointment_date": date.isoformat(),
        "appointment_time": moment.strftime("%H:%M"),
        "appointment_type": "first_visit",
        "mode": "in_clinic",
        "notes": "bench booking",
    }


def distinct_slots(ctx: common.BenchContext, headers: list[dict[str, str]]) -> common.Result:
    """Every request books a different free slot: time-major over doctors, so consecutive
    requests lock different doctors; patient i only ever books doctor i (no patient clash)."""
    network = ctx.network
    date = network.slot_date + dt.timedelta(days=7)
    _clear([date])
    doctors = network.doctor_ids[: len(headers)]
    bodies = [_body(doctor, date, t) for t in MORNING for doctor in doctors]
    heads = [headers[i] for _ in MORNING for i in range(len(doctors))]
    result = ctx.run_load(
        "POST /api/appointments/my/ (distinct slots)",
        ctx.base_url,
        ["/api/appointments/my/"],
        method="POST",
        bodies=bodies,
        headers=heads,
        ok=(201,),
        warmup=0,
        max_requests=len(bodies),
        **_load(ctx),
    )
    result.note = f"bookings/s = req/s (every request must be a 201); date {date}"
    return result


def contention(ctx: common.BenchContext, headers: list[dict[str, str]]) -> common.Result:
    """Every patient goes for the same few slots at once: 201 for the first, 409 for the rest."""
    from appointments.models import Appointment

    network = ctx.network
    date = network.slot_date + dt.timedelta(days=14)
    _clear([date])
    hot = [(doctor, t) for doctor in network.doctor_ids[:HOT_DOCTORS] for t in HOT_TIMES]
    # Consecutive requests aim at the same slot, so the client threads really collide;
    # every patient tries once.
    patients = headers[: len(hot) * ATTEMPTS_PER_HOT_SLOT]
    targets = [hot[i * len(hot) // len(patients)] for i in range(len(patients))]
    bodies = [_body(doctor, date, moment) for doctor, moment in targets]
    result = ctx.run_load(
        f"POST /api/appointments/my/ ({len(hot)} hot slots)",
        ctx.base_url,
        ["/api/appointments/my/"],
        method="POST",
        bodies=bodies,
        headers=patients,
        ok=(201, 409),
        warmup=0,
        max_requests=len(bodies),
        **{**_load(ctx), "seconds": 120.0},  # bounded by max_requests: every attempt runs
    )
    booked = Appointment.objects.filter(appointment_date=date, status="pending").count()
    result.note = (
        f"{result.requests} attempts on {len(hot)} slots -> {booked} bookings "
        f"(must be {len(hot)}); the rest 409; date {date}"
    )
    if booked != len(hot):
        result.errors += 1
    return result


def integrity_check(dates: list[dt.date]) -> common.Result:
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for name, sql, columns in (
            ("doctor", DOUBLE_BOOKINGS_SQL, "doctor_id, appointment_date, appointment_time"),
            ("patient", DOUBLE_BOOKINGS_SQL, "patient_id, appointment_date, appointment_time"),
            ("window", WINDOW_OVERRUNS_SQL, ""),
        ):
            cursor.execute(sql.format(columns=columns), {"dates": dates})
            counts[name] = cursor.fetchone()[0]
    result = common.Result("double bookings, window overruns (SQL)", 0, sum(counts.values()), 1, [])
    result.note = (
        f"doctor double bookings {counts['doctor']}, patient double bookings "
        f"{counts['patient']}, windows over capacity {counts['window']} (all must be 0)"
    )
    result.target_ratio = 0.0  # passes only with zero errors
    return result


def _load(ctx: common.BenchContext) -> dict[str, Any]:
    return {
        "seconds": float(os.environ.get("BENCH_SECONDS", "8")),
        "concurrency": int(os.environ.get("BENCH_CONCURRENCY", "4")),
    }


def queries_per_booking(ctx: common.BenchContext, headers: list[dict[str, str]]) -> int:
    from appointments.models import Appointment

    date = ctx.network.slot_date + dt.timedelta(days=21)
    _clear([date])
    count = ctx.queries_per_request(
        "/api/appointments/my/",
        method="POST",
        body=_body(ctx.network.doctor_ids[0], date, MORNING[0]),
        headers=headers[0],
        expect=(201,),
    )
    Appointment.objects.filter(appointment_date=date).delete()
    return count


def _warm_up(ctx: common.BenchContext, headers: list[dict[str, str]]) -> None:
    """Authenticated reads first, so the workers' first-request imports are not measured."""
    import httpx

    with httpx.Client(base_url=ctx.base_url, timeout=60) as client:
        for index in range(20):
            client.get("/api/appointments/my/", headers=headers[index % len(headers)])


def main(ctx: common.BenchContext) -> list[common.Result]:
    headers = _tokens(ctx.network, ctx)
    _warm_up(ctx, headers)
    queries = queries_per_booking(ctx, headers)
    throughput = distinct_slots(ctx, headers)
    throughput.queries = queries
    contended = contention(ctx, headers)
    contended.queries = queries
    dates = [ctx.network.slot_date + dt.timedelta(days=days) for days in (7, 14)]
    return [throughput, contended, integrity_check(dates)]


def _standalone(argv: list[str]) -> int:
    from bench import run

    args = run.parse_args(argv)
    common.setup_django(args.database_url)
    network = common.seed_network()
    os.environ.setdefault("BENCH_SECONDS", str(args.seconds))
    os.environ.setdefault("BENCH_CONCURRENCY", str(args.concurrency))
    with common.server(workers=args.workers, port=args.port) as base_url:
        baseline = common.run_load(
            "GET /bench/ping/ (trivial DRF view)",
            base_url,
            ["/bench/ping/"],
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
        results = [baseline, *main(common.BenchContext(base_url=base_url, network=network))]
    passed = common.print_results(results, baseline)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(_standalone(sys.argv[1:]))
