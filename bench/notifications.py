"""The notification sweep over many due messages on PostgreSQL: messages per second and SQL
statements per message (`python -m bench.notifications`; not part of `make bench`'s server
scenarios, it runs in-process).

Options: `--database-url` (default $BENCH_DATABASE_URL or the bench database), `--count`
(default 10000), `--sweeps` (concurrent sweeps, default 1; 2 also checks each is sent once).
The SMS backend is locmem, so this measures our side (lock, send call, status write), not a
provider. Its rows (subject "bench:*") are deleted before and after.
"""

import argparse
import os
import sys
import threading
import time

from bench import common


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sweeps", type=int, default=1)
    return parser.parse_args(argv)


def _seed(count: int) -> None:
    from django.utils import timezone

    from core.roles import RoleId
    from notifications.models import Channel, Kind, Notification
    from users.models import User

    patients = []
    for index in range(100):
        user, _ = User.objects.get_or_create(
            contact=f"+91820000{index:04d}",
            defaults={"name": f"Bench Patient {index}", "role_id": RoleId.PATIENT},
        )
        patients.append(user)
    due = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=patients[index % len(patients)],
                kind=Kind.APPOINTMENT_REMINDER,
                channel=Channel.SMS,
                key=f"bench:{index}:reminder:24h:sms",
                subject=f"bench:{index}",
                due_at=due,
                language="en",
                title="Appointment reminder",
                body=f"QuickCare reminder: bench message {index}.",
            )
            for index in range(count)
        ],
        batch_size=2000,
    )


def _clear() -> None:
    from notifications.models import Notification

    Notification.objects.filter(subject__startswith="bench:").delete()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    common.setup_django(args.database_url)
    from django.db import connection

    from core import sms
    from notifications.models import Notification, Status
    from notifications.services import notifications_send_due

    _clear()
    _seed(args.count)
    sms.outbox.clear()
    statements = [0]
    lock = threading.Lock()

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        with lock:  # executemany: one statement per row (pipelined, but counted honestly)
            statements[0] += len(params) if many else 1
        return execute(sql, params, many, context)

    def sweep() -> None:
        with connection.execute_wrapper(counted):
            notifications_send_due()
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=sweep) for _ in range(args.sweeps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    bench_rows = Notification.objects.filter(subject__startswith="bench:")
    sent = bench_rows.filter(status=Status.SENT).count()
    bodies = [message.body for message in sms.outbox]
    duplicates = len(bodies) - len(set(bodies))
    print(f"sweeps: {args.sweeps}, due: {args.count}, sent: {sent}, SMS: {len(bodies)}")
    print(f"duplicates: {duplicates}, elapsed: {elapsed:.2f} s")
    print(f"messages/s: {sent / elapsed:.0f}, SQL statements/message: {statements[0] / sent:.2f}")
    _clear()
    return 0 if sent == args.count and duplicates == 0 and len(bodies) == sent else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
