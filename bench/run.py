"""`make bench` (`python -m bench.run`): seed a clinic network on PostgreSQL, serve it with
gunicorn and measure the public doctor list and the slot endpoint against a trivial DRF view.

Options: `--database-url` (default $BENCH_DATABASE_URL or postgres://root@127.0.0.1:5432/
quickcare_bench), `--seconds` per scenario (default 8), `--concurrency` (default 4),
`--workers` (gunicorn, default 2), `--port` (default 8190), `--doctors-only` (skip
bench.booking). `DB_SERVER_SIDE_BINDING=False` measures without prepared statements. Exit
status 1 if a target is missed; the server is stopped in every case.
"""

import argparse
import importlib.util
import os
import sys
import time

from bench import common


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument(
        "--doctors-only", action="store_true", help="Skip bench.booking even if it exists."
    )
    return parser.parse_args(argv)


def doctor_list_paths(network: common.Network) -> list[str]:
    """Pages of 20 under the filters the mobile client sends."""
    paths = []
    for index, specialty in enumerate(network.specialties):
        clinic = network.clinic_ids[index * 3 % len(network.clinic_ids)]
        paths += [
            f"/api/doctors/?specialty={specialty.replace(' ', '+')}&page_size=20",
            f"/api/doctors/?min_fee=300&max_fee=800&video=true&page_size=20&page={index % 3 + 1}",
            f"/api/doctors/?search=Dr+{common.LAST_NAMES[index]}&page_size=20",
            f"/api/doctors/?clinic={clinic}&page_size=20",
        ]
    return paths


def slot_paths(network: common.Network) -> list[str]:
    date = network.slot_date.isoformat()
    return [
        f"/api/doctors/{doctor_id}/availability/slots/?date={date}"
        for doctor_id in network.doctor_ids[::7]
    ]


def queue_scenario(base_url: str, network: common.Network, load: dict[str, float]) -> common.Result:
    """The front desk's queue view (issue 14), as the bench clinics' owner, on the booked day."""
    from users.models import User

    owner = User.objects.get(contact="+917000000000")
    headers = {"Authorization": f"Bearer {common.token_for(owner)}"}
    date = network.slot_date.isoformat()
    paths = [
        f"/api/appointments/queue/?doctor={doctor_id}&date={date}"
        for doctor_id in network.doctor_ids[::7]
    ]
    result = common.run_load(
        "GET /api/appointments/queue/?doctor&date", base_url, paths, headers=headers, **load
    )
    result.queries = common.queries_per_request(paths[0], headers=headers)
    return result


def measure(args: argparse.Namespace, network: common.Network) -> list[common.Result]:
    load = {"seconds": args.seconds, "concurrency": args.concurrency}
    doctor_ids = network.doctor_ids
    date = network.slot_date.isoformat()
    with common.server(workers=args.workers, port=args.port) as base_url:
        baseline = common.run_load(
            "GET /bench/ping/ (trivial DRF view)", base_url, ["/bench/ping/"], **load
        )
        baseline.queries = common.queries_per_request("/bench/ping/")
        detail = common.run_load(
            "GET /api/doctors/<id>/",
            base_url,
            [f"/api/doctors/{doctor_id}/" for doctor_id in doctor_ids[::5]],
            **load,
        )
        detail.queries = common.queries_per_request(f"/api/doctors/{doctor_ids[0]}/")
        listing = common.run_load(
            "GET /api/doctors/?<filter>&page_size=20", base_url, doctor_list_paths(network), **load
        )
        listing.queries = common.queries_per_request(
            f"/api/doctors/?clinic={network.clinic_ids[0]}&page_size=5"
        )
        listing.queries_large = common.queries_per_request("/api/doctors/?min_fee=0&page_size=100")
        listing.target_ratio = 0.5
        slots = common.run_load(
            "GET /api/doctors/<id>/availability/slots/", base_url, slot_paths(network), **load
        )
        slots.queries = common.queries_per_request(
            f"/api/doctors/{doctor_ids[1]}/availability/slots/?date=2026-01-01"
        )
        slots.queries_large = common.queries_per_request(
            f"/api/doctors/{doctor_ids[1]}/availability/slots/?date={date}&explain=true"
        )
        slots.target_ratio = 0.5
        queue = queue_scenario(base_url, network, load)
        results = [baseline, detail, listing, slots, queue]
        if not args.doctors_only and importlib.util.find_spec("bench.booking") is not None:
            from bench import booking

            ctx = common.BenchContext(base_url=base_url, network=network)
            results += list(booking.main(ctx) or [])
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    common.setup_django(args.database_url)
    network = common.seed_network()
    print(
        f"network: {len(network.clinic_ids)} clinics, {len(network.doctor_ids)} doctors, "
        f"{len(network.patient_ids)} patients; slots on {network.slot_date}; "
        f"gunicorn {args.workers} sync workers, {args.concurrency} client threads, "
        f"{args.seconds:.0f}s per scenario"
    )
    results = measure(args, network)
    passed = common.print_results(results, results[0])
    print(f"total {time.perf_counter() - started:.0f}s; targets {'met' if passed else 'MISSED'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
