"""Booking under load: throughput on distinct slots, the race for one slot, and a worker
SIGKILLed in the middle of bookings; afterwards SQL proves the guarantees held.

`bench.run` calls `main(ctx)` with the seeded network and the running QuickCare server.

- Throughput: 16 connections (wrk), every request a different free morning slot of the week
  after `slot_date` (time-major over doctors, so consecutive requests lock different
  doctors; for one date and time every request has a different patient, and a patient
  meets a doctor at most once, so no per-patient rule refuses any). Every answer must be 201.
- Race: 50 racers (one connection each, released by a barrier) on one slot, 5 rounds on
  5 slots: exactly one 201 and 49 409s in every round, and one active row per slot.
- Kill: 16 clients book distinct slots while one gunicorn worker is SIGKILLed; then no
  double booking (doctor or patient), no window over its capacity, and no appointment
  without its history row.

Their dates are cleared before and after, so the bench can be repeated and the read
workloads see the seeded network.
"""

import datetime as dt
import itertools
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

from bench import common
from bench.load import Req, threaded
from bench.seed import MORNING

RACERS = 50
RACE_ROUNDS = 5
KILL_REQUESTS = 640
THROUGHPUT_DAYS = range(7, 13)  # Monday to Saturday of the week after slot_date
RACE_DAYS = (14,)
KILL_DAYS = (21, 22)

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
WITHOUT_HISTORY_SQL = """
SELECT count(*) FROM appointments_appointment a
WHERE a.appointment_date = ANY(%(dates)s) AND NOT EXISTS (
    SELECT 1 FROM appointments_appointmentstatuschange h WHERE h.appointment_id = a.id
)
"""


def _dates(ctx: common.BenchContext, days: Any) -> list[dt.date]:
    return [ctx.network.slot_date + dt.timedelta(days=d) for d in days]


def clear(dates: list[dt.date]) -> None:
    from appointments.models import Appointment

    Appointment.objects.filter(
        appointment_date__in=dates, doctor__user__contact__startswith="+91810"
    ).delete()


def _body(doctor_id: int, date: dt.date, moment: dt.time) -> dict[str, Any]:
    return {
        "doctor": doctor_id,
        "appointment_date": date.isoformat(),
        "appointment_time": moment.strftime("%H:%M"),
        "appointment_type": "first_visit",
        "mode": "in_clinic",
        "notes": "bench booking",
    }


def distinct_slots(
    doctors: list[int], patients: int, dates: list[dt.date]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(patient index, booking body) for every morning slot of `dates`, time-major over
    doctors; no patient meets a doctor twice or holds two bookings at one date and time."""
    for j, date in enumerate(dates):
        for t, moment in enumerate(MORNING):
            for d, doctor in enumerate(doctors):
                yield (d + t * 37 + j * 131) % patients, _body(doctor, date, moment)


# The doctors booked: the 1x network's 500 at every `--scale` (`common.spread`). Over every
# doctor of the 10x network the same bookings took 2,000 different patients where the 1x run
# took some 600 (`distinct_slots` walks the doctors first), so the 10x run timed three times as
# many first requests of a token, not the cost of booking over bigger tables.
BOOKED_DOCTORS = 500


def distinct_slot_requests(
    ctx: common.BenchContext, tokens: list[dict[str, str]], dates: list[dt.date], count: int
) -> list[Req]:
    doctors = common.spread(ctx.network.doctor_ids, BOOKED_DOCTORS)
    slots = distinct_slots(doctors, len(tokens), dates)
    return [
        Req("/api/appointments/my/", "POST", tokens[patient], body)
        for patient, body in itertools.islice(slots, count)
    ]


def throughput(ctx: common.BenchContext, meter: Any, tokens: list[dict[str, str]]) -> Any:
    dates = _dates(ctx, THROUGHPUT_DAYS)
    clear(dates)
    requests = distinct_slot_requests(ctx, tokens, dates, int(ctx.seconds * 400) + 400)
    result = ctx.measure(
        meter,
        f"booking, distinct slots, {ctx.connections} clients",
        requests,
        connections=ctx.connections,
        seconds=ctx.seconds,
    )
    result.unit = "bookings/s"
    if result.requests > len(requests):
        result.note += f"; ran past its {len(requests)} distinct slots (repeats answer 409)"
    settle_then_clear(dates)
    return result


def race(ctx: common.BenchContext, tokens: list[dict[str, str]]) -> common.Result:
    from appointments.models import Appointment

    (date,) = _dates(ctx, RACE_DAYS)
    clear([date])
    won = 0
    latencies: list[float] = []
    started = time.perf_counter()
    for round_ in range(RACE_ROUNDS):
        doctor = ctx.network.doctor_ids[round_ + 1]
        body = _body(doctor, date, MORNING[0])
        racers = [Req("/api/appointments/my/", "POST", tokens[i], body) for i in range(RACERS)]
        answers = threaded(ctx.base_url, racers, threads=RACERS, barrier=True)
        statuses = sorted(status for status, _ in answers)
        rows = Appointment.objects.filter(
            doctor_id=doctor, appointment_date=date, status__in=["pending", "confirmed"]
        ).count()
        if statuses == [201] + [409] * (RACERS - 1) and rows == 1:
            won += 1
        latencies += [ms for _, ms in answers]
    result = common.Result(
        f"booking race: {RACERS} racers on one slot x {RACE_ROUNDS}",
        requests=RACERS * RACE_ROUNDS,
        errors=RACE_ROUNDS - won,
        seconds=time.perf_counter() - started,
        latencies_ms=latencies,
    )
    result.note = f"{won}/{RACE_ROUNDS} rounds with exactly one winner (201) and 49 x 409"
    result.unit = "rounds"
    result.rate_text = f"{won}/{RACE_ROUNDS} rounds"
    clear([date])
    return result


def killed_worker(ctx: common.BenchContext, tokens: list[dict[str, str]]) -> common.Result:
    """Bookings while a worker dies by SIGKILL (mid-request, maybe mid-transaction)."""
    dates = _dates(ctx, KILL_DAYS)
    clear(dates)
    requests = distinct_slot_requests(ctx, tokens, dates, KILL_REQUESTS)
    victims: list[int] = []

    def kill_one() -> None:
        time.sleep(1.0)
        pids = ctx.server.worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            victims.append(pids[0])

    started = time.perf_counter()
    answers = threaded(ctx.base_url, requests, threads=16, on_start=kill_one)
    seconds = time.perf_counter() - started
    counts = integrity_counts(dates)
    created = sum(1 for status, _ in answers if status == 201)
    failed = sum(1 for status, _ in answers if status not in (201,))
    result = common.Result(
        "booking with a worker SIGKILLed",
        requests=len(answers),
        errors=sum(counts.values()) + (0 if victims else 1),
        seconds=seconds,
        latencies_ms=[ms for _, ms in answers],
    )
    result.note = (
        f"worker {victims[0] if victims else '(none found)'} killed; {created} booked, "
        f"{failed} lost with it or refused; doctor double bookings {counts['doctor']}, "
        f"patient double bookings {counts['patient']}, windows over capacity "
        f"{counts['window']}, appointments without history {counts['history']} (all must be 0)"
    )
    result.unit = "bookings/s"
    settle_then_clear(dates)
    return result


def settle_then_clear(dates: list[dt.date]) -> None:
    """wrk stops sending at its deadline, but the workers finish what they already read:
    wait for those bookings to commit before clearing their dates."""
    time.sleep(3)
    clear(dates)


def integrity_counts(dates: list[dt.date]) -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name, sql, columns in (
            ("doctor", DOUBLE_BOOKINGS_SQL, "doctor_id, appointment_date, appointment_time"),
            ("patient", DOUBLE_BOOKINGS_SQL, "patient_id, appointment_date, appointment_time"),
            ("window", WINDOW_OVERRUNS_SQL, ""),
            ("history", WITHOUT_HISTORY_SQL, ""),
        ):
            cursor.execute(sql.format(columns=columns), {"dates": dates})
            counts[name] = cursor.fetchone()[0]
    return counts


def patient_tokens(ctx: common.BenchContext, count: int = 2000) -> list[dict[str, str]]:
    """Bearer headers of up to `count` patients, the busy patient left out (his list is a
    read workload and keeps its 92)."""
    from users.models import User

    ids = ctx.network.patient_ids[1 : count + 1]
    users = {user.pk: user for user in User.objects.filter(pk__in=ids)}
    return [{"Authorization": f"Bearer {ctx.token_for(users[pk])}"} for pk in ids]


def main(ctx: common.BenchContext, meter: Any, *, kill: bool = True) -> list[common.Result]:
    tokens = patient_tokens(ctx)
    results = [throughput(ctx, meter, tokens), race(ctx, tokens)]
    if kill:  # last: the server has a new worker afterwards
        results.append(killed_worker(ctx, tokens))
    return results
