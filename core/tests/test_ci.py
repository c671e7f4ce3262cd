"""CI runs every check; the static checks need nothing from `.env` or the environment."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(target: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.fail("make is needed to check the Makefile")
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/bin/.installed", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_ci_runs_make_check_then_postgres_and_the_browser():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if re.match(r"\s*([A-Z0-9_]+=\S+ )*make ", line)
    ]
    assert commands == [
        "make check",
        'DATABASE_URL="postgres://root@$PGHOST:$PGPORT/quickcare_ci" '
        'CACHE_URL="redis://127.0.0.1:6379/8" '
        'QUICKCARE_S3_ENDPOINT="http://127.0.0.1:$S3PORT" make test',
        'DATABASE_URL="postgres://root@$PGHOST:$PGPORT/quickcare_ci" '
        'CACHE_URL="redis://127.0.0.1:6379/14" make smoke',
        "make e2e",
    ]


def test_the_postgresql_run_has_an_s3_server_to_talk_to():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"moto_server -H 127\.0\.0\.1 -p \"\$S3PORT\"", script)
    assert 'trap \'kill -- -"$MOTO_PID"' in script


def test_make_smoke_runs_the_smoke_flow():
    assert any("-m smoke.run" in line for line in _dry_run("smoke"))


def test_make_check_is_static_checks_plus_the_suite_once():
    lines = _dry_run("check")
    assert sum("pytest" in line for line in lines) == 1
    for tool in ("ruff check", "ruff format --check", "mypy", "makemigrations --check"):
        assert any(tool in line for line in lines), tool
    assert any("spectacular --fail-on-warn --validate" in line for line in lines)


def test_static_checks_run_no_tests():
    assert not any("pytest" in line for line in _dry_run("static"))


def test_every_django_loading_check_gets_a_secret_key_of_its_own():
    """mypy's django plugin and manage.py import the settings: SECRET_KEY is required outside
    DEBUG, and a fresh clone has no `.env`."""
    lines = _dry_run("static")
    loading = [line for line in lines if "mypy" in line or "manage.py" in line]
    assert len(loading) == 3
    assert all(line.startswith("SECRET_KEY=") for line in loading)
