"""`python -m bench.audit_chain`: the audit chain's append cost under 16 concurrent writers and
its verify speed, on PostgreSQL (a throwaway test database: test_<name of DATABASE_URL>).

Appends: 16 threads, each its own connection, each appending `--per-writer` events one per
transaction (as a request does), first all on one patient's chain (they queue on its advisory
lock), then each on its own patient's chain. Reported: wall time per event (the throughput
cost) and the mean latency of one append. Verify: `verify_chain` over a chain of `--chain`
events, in events per second.

    DATABASE_URL=postgres://root@127.0.0.1:5432/quickcare_bench python -m bench.audit_chain
"""

import argparse
import os
import statistics
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quickcare.settings_test")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_chain", description=__doc__)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--per-writer", type=int, default=100)
    parser.add_argument("--chain", type=int, default=20000)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def _appends(patients: list, per_writer: int) -> tuple[float, list[float]]:
    from django.db import connection

    from audit.services import record

    barrier = threading.Barrier(len(patients))
    latencies: list[float] = []
    lock = threading.Lock()

    def writer(patient_id) -> None:
        barrier.wait()
        mine = []
        for i in range(per_writer):
            start = time.perf_counter()
            record(patient_id=patient_id, category="access", action="view", detail=str(i))
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
        connection.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in patients]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies


def _run(args: argparse.Namespace) -> None:
    from audit.services import Event, audit_append
    from audit.verify import verify_chain
    from users.tests.factories import PatientFactory

    one = PatientFactory()
    many = [PatientFactory() for _ in range(args.writers)]
    total = args.writers * args.per_writer
    for label, patients in (
        ("one chain", [one.pk] * args.writers),
        ("own chains", [p.pk for p in many]),
    ):
        wall, latencies = _appends(patients, args.per_writer)
        print(
            f"append, {args.writers} writers, {label}: {wall / total * 1e6:.0f} µs/event wall, "
            f"mean latency {statistics.mean(latencies) * 1e6:.0f} µs, "
            f"p95 {sorted(latencies)[int(len(latencies) * 0.95)] * 1e6:.0f} µs"
        )
    report = verify_chain(one.pk)
    if not (report.valid and report.events == total):
        raise SystemExit(f"chain broken under concurrency: {report}")

    big = PatientFactory()
    for offset in range(0, args.chain, 1000):
        audit_append(
            Event(patient_id=big.pk, category="access", action="view", detail=str(i))
            for i in range(offset, min(offset + 1000, args.chain))
        )
    start = time.perf_counter()
    report = verify_chain(big.pk)
    seconds = time.perf_counter() - start
    if not (report.valid and report.events == args.chain):
        raise SystemExit(f"chain did not verify: {report}")
    print(f"verify: {args.chain} events in {seconds:.2f} s = {args.chain / seconds:.0f} events/s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
