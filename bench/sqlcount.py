"""SQL statements per request, as the servers run them.

The issue asks for `pg_stat_statements`. It needs `shared_preload_libraries`, which this
machine's PostgreSQL does not load (and restarting the shared server is not the bench's to
do), so `counting()` says which source is used: `pg_stat_statements` when the server has it
loaded, otherwise the bench-only `SqlCountMiddleware` (installed by `bench/settings.py` and
`bench/limit/settings.py`, never by the app's settings). The middleware wraps each request in
`connection.execute_wrapper` and adds its count to a per-worker memory-mapped file
(`$BENCH_SQL_COUNTER_DIR/<pid>`: requests, statements as two uint64), so reading the totals
costs the workers nothing and counts every request of the load, not a sample.
"""

import mmap
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

_FORMAT = "QQ"
_SIZE = struct.calcsize(_FORMAT)


class SqlCountMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        self._pid = -1
        self._map: mmap.mmap | None = None

    def _counter(self) -> mmap.mmap | None:
        directory = os.environ.get("BENCH_SQL_COUNTER_DIR")
        if not directory:
            return None
        if self._pid != os.getpid():  # opened after the fork, one file per worker
            path = Path(directory) / str(os.getpid())
            with path.open("w+b") as handle:
                handle.write(b"\0" * _SIZE)
                handle.flush()
                self._map = mmap.mmap(handle.fileno(), _SIZE)
            self._pid = os.getpid()
        return self._map

    def __call__(self, request: Any) -> Any:
        from django.db import connection

        counter = self._counter()
        if counter is None:
            return self.get_response(request)
        statements = [0]

        def count(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
            statements[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        requests, total = struct.unpack_from(_FORMAT, counter)
        struct.pack_into(_FORMAT, counter, 0, requests + 1, total + statements[0])
        return response


def read_totals(directory: str) -> tuple[int, int]:
    """(requests, statements) over every worker file in `directory`."""
    requests = statements = 0
    for path in Path(directory).iterdir():
        data = path.read_bytes()
        if len(data) >= _SIZE:
            r, s = struct.unpack_from(_FORMAT, data)
            requests, statements = requests + r, statements + s
    return requests, statements


def pg_stat_statements_loaded() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('shared_preload_libraries')")
        return "pg_stat_statements" in cursor.fetchone()[0]


class Counter:
    """Before/after readings of the statements a server ran; `source` says from where."""

    def __init__(self, counter_dir: str) -> None:
        self.counter_dir = counter_dir
        self.pgss = pg_stat_statements_loaded()
        self.source = "pg_stat_statements" if self.pgss else "bench SqlCountMiddleware"
        if self.pgss:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def reading(self) -> tuple[int, int]:
        requests, statements = read_totals(self.counter_dir)
        if self.pgss:
            statements = self._pgss_calls()
        return requests, statements

    @staticmethod
    def _pgss_calls() -> int:
        """Calls in this database by every backend but the bench's own (its readings)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s "
                "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
                "AND s.query NOT ILIKE '%%pg_stat%%' AND s.query NOT ILIKE '%%pg_backend_pid%%'"
            )
            return int(cursor.fetchone()[0])

    @staticmethod
    def per_request(before: tuple[int, int], after: tuple[int, int]) -> float | None:
        requests = after[0] - before[0]
        return (after[1] - before[1]) / requests if requests else None
