"""Benchmark toolkit: environment, the two gunicorn servers, process CPU, results and tokens.

Used by `bench.run` (`make bench`) and the scenario modules (`bench/booking.py`, ...). The seed
lives in `bench/seed.py`, the load generators in `bench/load.py`, the SQL counters in
`bench/sqlcount.py`. Everything runs on 127.0.0.1 only.

Both servers (QuickCare with `bench.settings`, and the limit app `bench.limit`, a bare Django +
DRF app answering one SQL statement) are started by `server()` with the same gunicorn command
line and QuickCare's own `gunicorn.conf.py` (what `make serve` runs): 2 workers, 1 thread
each (so gunicorn's sync worker), no access log (its lines would be measured too) and no
recycling after GUNICORN_MAX_REQUESTS (a recycled worker would take its CPU time with it).
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/quickcare_bench"
BENCH_SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghij"
# As in production: one cache every worker shares (the preflight refuses a per-process one),
# so a write in one worker invalidates the cached answers and users of all. Flushed per server.
BENCH_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
APPS = {
    # name: (wsgi application, settings module, a path that answers 200 when up)
    "quickcare": ("quickcare.wsgi:application", "bench.settings", "/bench/ping/"),
    "limit": ("bench.limit.wsgi:application", "bench.limit.settings", "/limit/static/"),
}


# --- environment and database ------------------------------------------------------------


def bench_environment(database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "CACHE_URL": BENCH_CACHE_URL,
        "SMS_BACKEND": "core.sms.LocmemBackend",
        # As in production (.env.production.example): a booking enqueues its SMS as a task
        # row; the default immediate backend would send it inside the request. No worker
        # runs during the bench, so the rows stay queued.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # Every login comes from 127.0.0.1: the per-IP limit would answer 429 after 60.
        "THROTTLE_LOGIN_IP": "1000000/min",
        # Tokens minted before the run outlive a long --scale run.
        "JWT_ACCESS_MINUTES": "240",
        # gunicorn.conf.py's preflight wants a signing key (32 bytes of 0x42, bench only).
        "AUDIT_SIGNING_KEY": "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
    }


def _create_database_if_missing(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def scaled_database_url(database_url: str, scale: int) -> str:
    """Scale 1 uses the URL as given; scale N its database name + `_xN` (seeded once each)."""
    if scale == 1:
        return database_url
    parts = urlsplit(database_url)
    return parts._replace(path=f"{parts.path}_x{scale}").geturl()


def setup_django(database_url: str = DEFAULT_DATABASE_URL) -> None:
    if urlsplit(database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("The bench only runs against a local database (127.0.0.1).")
    os.environ.update(bench_environment(database_url))
    _create_database_if_missing(database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


# --- servers -----------------------------------------------------------------------------


@dataclass
class Server:
    app: str
    base_url: str
    process: subprocess.Popen[bytes]
    sql_counter_dir: str

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)


def gunicorn_command(app: str) -> list[str]:
    """The one command line both apps are served with (only the WSGI application differs)."""
    return [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), APPS[app][0]]


def gunicorn_environment(*, workers: int, port: int) -> dict[str, str]:
    return {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": "1",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "ERROR",
    }


@contextlib.contextmanager
def server(app: str = "quickcare", *, workers: int = 2, port: int = 8190) -> Iterator[Server]:
    """gunicorn serving `app`; stopped (SIGTERM, then SIGKILL) when the block exits."""
    base_url = f"http://127.0.0.1:{port}"
    counter_dir = tempfile.mkdtemp(prefix=f"quickcare-bench-sql-{app}-")
    env = {
        **os.environ,
        **bench_environment(os.environ["DATABASE_URL"]),
        "DJANGO_SETTINGS_MODULE": APPS[app][1],
        "BENCH_SQL_COUNTER_DIR": counter_dir,
        **gunicorn_environment(workers=workers, port=port),
    }
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed when the server stops
        prefix=f"quickcare-bench-gunicorn-{app}-", suffix=".log", delete=False
    )
    command = gunicorn_command(app)
    import redis

    redis.Redis.from_url(BENCH_CACHE_URL).flushdb()  # no answer of an earlier run survives
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(base_url + APPS[app][2], process, log.name)
        yield Server(app, base_url, process, counter_dir)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log_name: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_name}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_name}")


# --- process CPU (from /proc, this machine only) -----------------------------------------


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
    return found


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name (which may hold spaces): state is [0], ppid [1].
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """utime + stime of each live pid, in seconds."""
    times = {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = _stat_fields(pid)
            times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return times


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings; a pid new in `after` counts whole."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


# --- results -----------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    p50_ms: float | None = None  # when the load generator reports percentiles itself
    p95_ms: float | None = None
    sql_per_request: float | None = None
    server_cpu_ms: float | None = None  # per request, the app's gunicorn workers
    db_cpu_ms: float | None = None  # per request, the PostgreSQL backends of the database
    client_cpu_ms: float | None = None  # per request, the load generator
    ratio_to: str | None = None  # a workload name: show req/s divided by its req/s
    target: Callable[["Result", dict[str, "Result"]], bool] | None = None
    target_text: str = ""
    note: str = ""
    unit: str = "req/s"
    rate_text: str | None = None  # the table's rate cell, when not a rate (the race)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if q == 0.5 and self.p50_ms is not None:
            return self.p50_ms
        if q == 0.95 and self.p95_ms is not None:
            return self.p95_ms
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def token_for(user: Any) -> str:
    """An access token as a login issues it (with its session id, so the revocation check
    runs as for a real client); same SECRET_KEY as the server."""
    from users.tokens import issue_tokens

    return issue_tokens(user=user)["access"]


@dataclass
class BenchContext:
    """What the scenario modules receive: the QuickCare server, the seeded network, the
    load functions (see bench.load) and the number of client connections."""

    server: Server
    network: Any  # bench.seed.Network
    seconds: float
    connections: int
    run_load: Callable[..., Result]
    measure: Callable[..., Result]
    token_for: Callable[[Any], str] = token_for

    @property
    def base_url(self) -> str:
        return self.server.base_url


# --- working sets -------------------------------------------------------------------------


def spread(ids: list[Any], count: int) -> list[Any]:
    """`count` ids spread evenly over all of them: the same working set at every `--scale`
    (100 doctor pages at 1x and at 10x, over a table ten times larger), so a bigger table is
    the only change; cycling over every doctor at 10x timed ten times as many first reads of
    a cached answer, not the cost of a read."""
    step = max(1, len(ids) // count)
    return ids[::step][:count]
