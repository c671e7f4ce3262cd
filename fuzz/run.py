"""`make fuzz` (`python -m fuzz.run`): schemathesis against the API's own OpenAPI schema,
anonymously and as each demo persona, on a throwaway SQLite database; no input may get a 500.

Each persona gets a fresh copy of the seeded demo database and its own `runserver`, so one
persona's writes (a cancelled appointment, a deactivated clinic) never change another's run,
and the fixed seed makes a run repeatable. Paths carry real demo ids (random ones would only
ever reach the 404 behind a UUID; DELETE keeps random ids so the demo objects survive), and
bodies often take real values (a bookable slot, a PDF, a known contact, the master OTP). The
anonymous run covers every operation; each persona, the operations of its role (see
PERSONAS), within about four minutes. Every response must also keep to the schema: its status
code is documented for the operation (`status_code_conformance`), its body matches the
documented schema (`response_schema_conformance`), its content type and documented headers
too (`content_type_conformance`, `response_headers_conformance`), so a client generated from
the schema can parse what the API answers.

Options: `--max-examples` per operation (default 10, or `FUZZ_MAX_EXAMPLES`; 2 is a quick
run), `--checks` (default `FUZZ_CHECKS` or the checks above), `--seed` (default 1), `--phases`
(default examples,coverage,fuzzing), `--personas` (default all), `--all-operations` (every
persona fuzzes every operation; about ten minutes), `--port` (first port, default 8170),
`--jobs` (personas at a time, default 2), `--workers` (schemathesis workers per persona,
default 1: concurrent writes would lock SQLite), `--keep` (keep the temporary directory with
server logs and reports). Exit status 1 on any schemathesis failure (a 5xx, or a response
outside the schema) or a traceback in a server log; the servers are stopped in every case,
also on Ctrl-C.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "Quick@Care2026"


@dataclass(frozen=True)
class Persona:
    contact: int | None  # None: no Authorization header
    paths: str  # the operations fuzzed by default (path regex); `--all-operations`: all


MY_ACCOUNT = "users/me|users/onboarding/member"
PERSONAS: dict[str, Persona] = {
    "anonymous": Persona(None, r"^/api/"),
    "patient": Persona(9876500001, r"^/api/(users|appointments/my|documents)/"),
    "clinic_owner": Persona(9876500010, r"^/api/(clinics|appointments/clinic|users/me)/"),
    "doctor": Persona(9876500020, rf"^/api/(doctors|appointments/doctor|documents|{MY_ACCOUNT})/"),
    "lab_member": Persona(9876500031, rf"^/api/(documents|clinics/my|{MY_ACCOUNT})/"),
}
# A password change revokes the persona's token: it is fuzzed apart, after everything else.
PASSWORD_CHANGE = "users_password_change_update"
THROTTLES = (
    *("OTP_SEND_CONTACT", "OTP_SEND_IP", "OTP_VERIFY_CONTACT", "OTP_VERIFY_IP"),
    *("LOGIN_IP", "CHECK_CONTACT_IP"),
    "CONSENT_REQUEST",
)
SERVER_ENV = {
    "DEBUG": "True",
    "SECRET_KEY": "fuzz-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "SMS_BACKEND": "core.sms.LocmemBackend",
    "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    "CACHE_URL": "locmemcache://fuzz",
    "MASTER_OTP": "000000",
    "LOGIN_MAX_FAILURES": "100000",
    "JWT_ACCESS_MINUTES": "120",
    **{f"THROTTLE_{name}": "100000/min" for name in THROTTLES},
}
SERVER_ERROR = re.compile(r'HTTP/[\d.]+" 5\d\d ')  # runserver's request line
# runserver answers a kept-alive connection only after the client's delayed ACK (~40 ms a
# request); a fresh connection per request makes the run about six times faster.
CONNECTION_CLOSE = ("-H", "Connection: close")
# Every child process, so an interrupted run (Ctrl-C, SIGTERM) still stops them all.
CHILDREN: list[subprocess.Popen[str]] = []


@dataclass
class Outcome:
    persona: str
    operations: int = 0
    cases: int = 0
    failures: int = 0
    server_errors: int = 0
    traceback_count: int = 0
    exit_codes: tuple[int, ...] = ()
    log: str = ""

    @property
    def ok(self) -> bool:
        problems = (self.failures, self.server_errors, self.traceback_count, *self.exit_codes)
        return not any(problems)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__)
    parser.add_argument(
        "--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES") or 10)
    )
    parser.add_argument("--checks", default=os.environ.get("FUZZ_CHECKS") or CHECKS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--personas", default=",".join(PERSONAS))
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--all-operations", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    unknown = set(args.personas.split(",")) - set(PERSONAS)
    if unknown:
        parser.error(f"unknown personas: {', '.join(sorted(unknown))}")
    return args


def server_env(workdir: Path, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        **SERVER_ENV,
        "DATABASE_URL": f"sqlite:///{database}",
        "PRIVATE_MEDIA_ROOT": str(workdir / "media"),
        "SMS_FILE_PATH": str(workdir / "sms.jsonl"),
    }


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


DEMO_IDS_SCRIPT = """
import datetime as dt, json
from appointments.models import Appointment
from appointments.services import doctor_active_clinic
from clinic.models import AdmissionDocument, Clinic, ClinicMember, ClinicTimeSlot
from clinic.rules import clinic_today
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from appointments.slots import doctor_free_slots
from clinic.rules import clinic_today
from documents.models import DocumentConsent, MedicalDocument
from users.models import User, UserAddress

patient = User.objects.get(contact="+919876500001")
doctor = DoctorProfile.objects.get(user__contact="+919876500020")
clinic = doctor_active_clinic(doctor=doctor)
document = MedicalDocument.objects.filter(patient=patient).first()
appointment = Appointment.objects.filter(patient=patient, doctor=doctor).first()
today = clinic_today(clinic)
free = [
    (today + dt.timedelta(days=days), moment)
    for days in range(1, 15)
    for moment in doctor_free_slots(
        doctor_id=doctor.pk, clinic=clinic, date=today + dt.timedelta(days=days)
    ).free[:2]
]
print(json.dumps({
    "path": {
        "clinic_id": str(clinic.pk),
        "member_id": str(ClinicMember.objects.filter(clinic=clinic).last().pk),
        "slot_id": ClinicTimeSlot.objects.filter(clinic=clinic).first().pk,
        "doc_id": AdmissionDocument.objects.filter(clinic=clinic).first().pk,
        "doctor_id": doctor.pk,
        "availability_id": DoctorAvailability.objects.filter(doctor=doctor).first().pk,
        "leave_id": DoctorLeave.objects.first().pk,
        "appointment_id": appointment.pk,
        "address_id": UserAddress.objects.filter(user=patient).first().pk,
        "document_id": str(document.pk),
        "consent_id": str(DocumentConsent.objects.first().pk),
    },
    "body": {
        "clinic": [str(clinic.pk)],
        "doctor": [doctor.pk],
        "appointment": [appointment.pk],
        "patient_id": [str(patient.pk)],
        "document": [str(document.pk)],
        "contact": [9876500001, 9876500020, 9876500030, 9123456780],
        "password": ["Quick@Care2026", "Fresh#Fuzz2026"],
        "otp": ["000000"],
        "appointment_date": sorted({date.isoformat() for date, _ in free}),
        "appointment_time": sorted({moment.strftime("%H:%M") for _, moment in free}),
        "file": ["%PDF-1.4 fuzz"],
    },
}))
"""
CHECKS = ",".join(
    (
        *("not_a_server_error", "status_code_conformance", "content_type_conformance"),
        *("response_headers_conformance", "response_schema_conformance"),
    )
)
# How often a body field takes a real demo value instead of a generated one.
DICTIONARY_PROBABILITY = 0.6


def seed(workdir: Path) -> tuple[Path, dict[str, Any]]:
    """Migrate and seed the demo data once; return the database and its demo object ids."""
    database = workdir / "seeded.sqlite3"
    env = server_env(workdir, database)
    manage("migrate", "-v0", env=env)
    manage("seed_demo", env=env)
    ids = json.loads(manage("shell", "-c", DEMO_IDS_SCRIPT, env=env).strip().splitlines()[-1])
    return database, ids


def spawn(command: list[str], output: Path, **kwargs: Any) -> subprocess.Popen[str]:
    """Start a child in its own process group, writing to `output`; remembered for `stop`."""
    with output.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
    CHILDREN.append(process)
    return process


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def server(workdir: Path, database: Path, port: int, log: Path) -> Iterator[str]:
    """`runserver` on its own copy of the seeded database, stopped when the block exits."""
    copy = workdir / f"db-{port}.sqlite3"
    shutil.copyfile(database, copy)
    base_url = f"http://127.0.0.1:{port}"
    command = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    process = spawn(command, log, cwd=ROOT, env=server_env(workdir, copy))
    try:
        wait_until_up(f"{base_url}/api/schema/", process)
        yield base_url
    finally:
        stop(process)


def wait_until_up(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f}s")


def login(base_url: str, contact: int) -> dict[str, str]:
    response = httpx.post(
        f"{base_url}/api/users/login/",
        json={"contact": contact, "password": DEMO_PASSWORD},
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    return {"access": body["access"], "refresh": body["refresh"]}


def write_config(path: Path, ids: dict[str, Any], tokens: dict[str, str] | None) -> None:
    """Real ids in every path (DELETE keeps random ones, so the demo objects survive) and,
    often, real values in bodies (a bookable slot, a PDF, the persona's refresh token)."""
    body = dict(ids["body"])
    if tokens is not None:
        body["refresh"] = [tokens["refresh"]]
    lines = ["[dictionaries]"]
    lines += [f"{name} = {{ values = {json.dumps(values)} }}" for name, values in body.items()]
    lines += ["", "[parameters]"]
    lines += [
        f'"body.{name}" = {{ dictionary = "{name}", probability = {DICTIONARY_PROBABILITY} }}'
        for name in body
    ]
    fixed = ", ".join(f'"path.{name}" = {json.dumps(value)}' for name, value in ids["path"].items())
    lines += ["", "[[operations]]", 'include-method-regex = "^(GET|POST|PUT|PATCH)$"']
    lines += [f"parameters = {{ {fixed} }}"]
    path.write_text("\n".join(lines) + "\n")


def schemathesis(
    base_url: str, args: argparse.Namespace, config: Path, report: Path, *extra: str
) -> tuple[int, dict[str, int]]:
    command = [
        str(Path(PYTHON).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/api/schema/",
        "--checks",
        args.checks,
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--phases",
        args.phases,
        "--workers",
        str(args.workers),
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *CONNECTION_CLOSE,
        *extra,
    ]
    process = spawn(command, report.with_suffix(".txt"), cwd=report.parent)
    return process.wait(), summarize(report)


def summarize(report: Path) -> dict[str, int]:
    """Operations tested, test cases and failures, from schemathesis's NDJSON events."""
    operations: set[str] = set()
    cases = failures = 0
    for line in report.read_text().splitlines() if report.exists() else []:
        (kind, event), *_ = json.loads(line).items()
        if kind != "ScenarioFinished":
            continue
        recorder = event["recorder"]
        if "interactions" not in recorder:  # skipped (e.g. no examples in the schema)
            continue
        operations.add(recorder["label"])
        cases += len(recorder["interactions"])
        checks = [check for case in recorder["checks"].values() for check in case]
        failures += sum(check["status"] == "failure" for check in checks)
    return {"operations": len(operations), "cases": cases, "failures": failures}


def fuzz_persona(
    name: str, port: int, args: argparse.Namespace, workdir: Path, database: Path, ids: Any
) -> Outcome:
    outcome = Outcome(persona=name)
    log = workdir / f"server-{name}.log"
    persona = PERSONAS[name]
    with server(workdir, database, port, log) as base_url:
        tokens = login(base_url, persona.contact) if persona.contact is not None else None
        auth = ("-H", f"Authorization: Bearer {tokens['access']}") if tokens else ()
        config = workdir / f"schemathesis-{name}.toml"
        write_config(config, ids, tokens)
        paths = () if args.all_operations else ("--include-path-regex", persona.paths)
        runs = [(*paths, "--exclude-operation-id", PASSWORD_CHANGE)]
        if tokens is not None and (args.all_operations or name == "patient"):
            runs.append(("--include-operation-id", PASSWORD_CHANGE))
        codes = []
        for index, selection in enumerate(runs):
            report = workdir / f"report-{name}-{index}.ndjson"
            code, counts = schemathesis(base_url, args, config, report, *auth, *selection)
            codes.append(code)
            outcome.operations += counts["operations"]
            outcome.cases += counts["cases"]
            outcome.failures += counts["failures"]
        outcome.exit_codes = tuple(codes)
    outcome.log = log.read_text()
    outcome.server_errors = len(SERVER_ERROR.findall(outcome.log))
    outcome.traceback_count = len(tracebacks(outcome.log, limit=None))
    return outcome


def tracebacks(log: str, limit: int | None = 3) -> list[str]:
    """The first few distinct tracebacks of a server log."""
    found: list[str] = []
    ends = r"(?=^\[|^Internal Server Error|\Z)"  # the next request or error line
    for block in re.findall(rf"^Traceback.*?{ends}", log, re.MULTILINE | re.DOTALL):
        if block not in found:
            found.append(block)
    return found[:limit]


def failure_section(text: str) -> str:
    """schemathesis's FAILURES section (each with a curl command that reproduces it)."""
    match = re.search(r"^=+ FAILURES =+$(.*?)^=+ (WARNINGS|SUMMARY) =+$", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def report(outcomes: list[Outcome], workdir: Path, started: float) -> bool:
    print(f"{'persona':<14}{'operations':>11}{'cases':>8}{'failures':>10}{'5xx in log':>12}")
    for outcome in outcomes:
        print(
            f"{outcome.persona:<14}{outcome.operations:>11}{outcome.cases:>8}"
            f"{outcome.failures:>10}{outcome.server_errors:>12}"
            + ("" if outcome.ok else f"   FAILED (schemathesis exit {outcome.exit_codes})")
        )
    for outcome in outcomes:
        if outcome.ok:
            continue
        print(f"\n=== {outcome.persona}")
        for text in sorted(workdir.glob(f"report-{outcome.persona}-*.txt")):
            print(failure_section(text.read_text()) or f"(no failures listed in {text})")
        print(*tracebacks(outcome.log), sep="\n")
    passed = all(outcome.ok for outcome in outcomes)
    verdict = "no server errors, every response as documented" if passed else "FAILURES"
    print(f"total {time.perf_counter() - started:.0f}s; {verdict}")
    return passed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup below
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="qc_fuzz_"))
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    passed = False
    try:
        database, ids = seed(workdir)
        futures = [
            pool.submit(fuzz_persona, name, args.port + index, args, workdir, database, ids)
            for index, name in enumerate(args.personas.split(","))
        ]
        passed = report([future.result() for future in futures], workdir, started)
        return 0 if passed else 1
    finally:
        for process in CHILDREN:
            stop(process)
        pool.shutdown(cancel_futures=True)
        if args.keep or not passed:
            print(f"logs and reports: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
