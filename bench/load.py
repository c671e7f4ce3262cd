"""Load generators and the measurement around them.

`wrk` (Debian's package; `make bench` installs it when missing) drives every throughput
workload: one client thread, N keep-alive connections (gunicorn's sync workers close each
connection after its response, so wrk reconnects, for both apps alike), a Lua script that
cycles through the workload's pre-formatted requests. It is compiled and cheap, so the client
takes little of the two cores the servers need; its CPU is reported all the same.

`measure()` wraps one run with the readings that make the table: the gunicorn workers'
utime + stime from /proc (server CPU ms per request), the PostgreSQL backends' of the bench
database (DB CPU), the load generator's (client CPU), and the statements per request
(bench.sqlcount). `threaded()` is a plain Python client for what wrk cannot do: racers
released together by a barrier, and a bounded count of requests.
"""

import json
import os
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench import common
from bench.sqlcount import Counter


@dataclass
class Req:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # JSON-serialisable

    def encoded_body(self) -> str | None:
        return None if self.body is None else json.dumps(self.body)


def _lua_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _lua_script(requests: Sequence[Req]) -> str:
    specs = []
    for req in requests:
        headers = dict(req.headers)
        body = req.encoded_body()
        if body is not None:
            headers["Content-Type"] = "application/json"
        head = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        body_literal = "nil" if body is None else _lua_string(body)
        specs.append(f"{{{_lua_string(req.method)}, {_lua_string(req.path)}, {{{head}}}, "
                     f"{body_literal}}}")  # fmt: skip
    return (
        "local specs = {\n" + ",\n".join(specs) + "\n}\n"
        """
local formatted = {}
local counter = 0
init = function(args)
  for k, s in ipairs(specs) do formatted[k] = wrk.format(s[1], s[2], s[3], s[4]) end
end
request = function()
  counter = counter + 1
  return formatted[(counter - 1) % #formatted + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""
    )


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does this)")
    return path


def run_wrk(
    name: str, base_url: str, requests: Sequence[Req], *, connections: int, seconds: float
) -> tuple[common.Result, float]:
    """One wrk run; returns the result and the client's CPU seconds."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise SystemExit("Load only goes to 127.0.0.1.")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_script(requests))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        command = [
            wrk_path(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--timeout", "30s", "-s", script.name, base_url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for {name}: {done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    result = common.Result(
        name,
        requests=data["requests"],
        errors=errors,
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
    )
    if data["status"]:
        result.note = f"{data['status']} answers were not 2xx/3xx"
    return result, client_cpu


def threaded(
    base_url: str,
    requests: Sequence[Req],
    *,
    threads: int,
    barrier: bool = False,
    on_start: Callable[[], None] | None = None,
) -> list[tuple[int, float]]:
    """Each request once, spread over `threads` clients (one connection each); (status, ms)
    per request in order. With `barrier` every thread sends its first request at the same
    moment (a race). `on_start` runs in the calling thread once the clients are going."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise SystemExit("Load only goes to 127.0.0.1.")
    answers: list[tuple[int, float]] = [(0, 0.0)] * len(requests)
    gate = threading.Barrier(threads) if barrier else None

    def work(offset: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            if gate is not None:
                gate.wait()
            for index in range(offset, len(requests), threads):
                req = requests[index]
                started = time.perf_counter()
                try:
                    response = client.request(
                        req.method, req.path, headers=req.headers, json=req.body
                    )
                    status = response.status_code
                except httpx.HTTPError:
                    status = -1  # connection dropped (e.g. its worker was killed)
                answers[index] = (status, (time.perf_counter() - started) * 1000)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    if on_start is not None:
        on_start()
    for worker in workers:
        worker.join()
    return answers


def _db_backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class Meter:
    """Readings around a run against one server: CPU of its workers and of the database's
    backends, and its statement counter."""

    def __init__(self, server: common.Server) -> None:
        self.server = server
        self.counter = Counter(server.sql_counter_dir)

    def start(self) -> dict[str, Any]:
        return {
            "server": common.cpu_seconds(self.server.worker_pids()),
            "db": common.cpu_seconds(_db_backends()),
            "sql": self.counter.reading(),
        }

    def finish(self, before: dict[str, Any], result: common.Result, client_cpu: float) -> None:
        server = common.cpu_delta(before["server"], common.cpu_seconds(self.server.worker_pids()))
        db = common.cpu_delta(before["db"], common.cpu_seconds(_db_backends()))
        count = max(1, result.requests)
        result.server_cpu_ms = server * 1000 / count
        result.db_cpu_ms = db * 1000 / count
        result.client_cpu_ms = client_cpu * 1000 / count
        result.sql_per_request = self.counter.per_request(before["sql"], self.counter.reading())


def measure(
    meter: Meter, name: str, requests: Sequence[Req], *, connections: int, seconds: float
) -> common.Result:
    """A wrk run with every reading of the table."""
    warm = min(len(requests), 20)  # first-request imports and prepared statements
    threaded(meter.server.base_url, [r for r in requests[:warm] if r.method == "GET"], threads=2)
    before = meter.start()
    result, client_cpu = run_wrk(
        name, meter.server.base_url, requests, connections=connections, seconds=seconds
    )
    meter.finish(before, result, client_cpu)
    return result
