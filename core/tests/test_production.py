"""The production path: `.env.production.example` names every setting and passes
`check --deploy`; `make serve` refuses to start without SECRET_KEY and ALLOWED_HOSTS."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.production.example"
# A real-looking audit signing key (the base64 of 32 bytes), as an operator would set it.
AUDIT_KEY = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="
# Settings that are not production values: which file to read.
NOT_IN_THE_EXAMPLE = {"ENV_FILE"}


def example_values() -> dict[str, str]:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def test_the_example_names_every_setting_that_settings_py_reads():
    source = (ROOT / "quickcare" / "settings.py").read_text()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), re.MULTILINE))
    assert len(read) > 40
    assert sorted(read - NOT_IN_THE_EXAMPLE - named) == []


def test_the_example_is_safe():
    values = example_values()
    assert values["DEBUG"] == "False"
    assert values["SECRET_KEY"] == ""  # never a shared default: make serve refuses without one
    assert values["AUDIT_SIGNING_KEY"] == ""  # the same for the key that signs the audit chain
    assert values["MASTER_OTP"] == ""
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["CACHE_URL"].startswith("redis://")
    assert values["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert values["AWS_STORAGE_BUCKET_NAME"]
    providers = {"core.sms.Msg91Backend", "core.sms.TwilioBackend"}
    assert values["SMS_BACKEND"] in providers | {"core.sms.RoutingBackend"}
    if values["SMS_BACKEND"] == "core.sms.RoutingBackend":  # every route is a real provider
        routes = dict(route.split("=", 1) for route in values["SMS_ROUTES"].split(","))
        assert set(routes.values()) <= providers
        assert routes["+91"] == "core.sms.Msg91Backend"  # DLT templates for Indian numbers
    assert values["CORS_ALLOWED_ORIGINS"] == ""
    assert values["SENTRY_DSN"] == ""


def test_check_deploy_with_the_example_and_a_real_secret_key_reports_nothing():
    env = {
        "ENV_FILE": str(EXAMPLE),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": AUDIT_KEY,
        "DJANGO_SETTINGS_MODULE": "quickcare.settings",
    }
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is not set"),
        ({"SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "True"}, "DEBUG is on"),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_SIGNING_KEY": ""},
            "AUDIT_SIGNING_KEY is not set",
        ),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_SIGNING_KEY": "c2hvcnQ="},
            "AUDIT_SIGNING_KEY is not the base64 of 32 bytes",
        ),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "CACHE_URL": "locmemcache://quickcare"},
            "CACHE_URL is 'locmemcache://quickcare': production needs a cache every worker",
        ),
        (
            {"SECRET_KEY": secrets.token_urlsafe(50), "CACHE_URL": ""},
            "CACHE_URL is not set: production needs a cache every worker shares",
        ),
    ],
)
def test_the_preflight_refuses_with_a_clear_message(env, message):
    env = {"AUDIT_SIGNING_KEY": AUDIT_KEY, **env}
    result = run([sys.executable, "-m", "quickcare.preflight"], {"ENV_FILE": str(EXAMPLE), **env})
    assert result.returncode == 2
    assert f"QuickCare refuses to start: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_preflight_passes_with_the_example_and_a_secret_key():
    env = {
        "ENV_FILE": str(EXAMPLE),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": AUDIT_KEY,
    }
    result = run([sys.executable, "-m", "quickcare.preflight"], env)
    assert result.returncode == 0, result.stderr


def test_environment_variables_override_the_env_file(tmp_path, monkeypatch):
    from core.tests.settings_env import settings_for

    env_file = tmp_path / "prod.env"
    env_file.write_text("SECRET_KEY=" + "f" * 60 + "\nALLOWED_HOSTS=from-file.example\n")
    loaded = settings_for(monkeypatch, ENV_FILE=str(env_file))
    assert loaded["ALLOWED_HOSTS"] == ["from-file.example"]
    loaded = settings_for(monkeypatch, ENV_FILE=str(env_file), ALLOWED_HOSTS="from-env.example")
    assert loaded["ALLOWED_HOSTS"] == ["from-env.example"]
    monkeypatch.undo()


def test_make_serve_refuses_without_a_secret_key_before_migrating(tmp_path):
    if subprocess.run(["which", "make"], capture_output=True).returncode:
        pytest.fail("make is needed")
    env = {"ENV_FILE": str(EXAMPLE), "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}"}
    result = run(["make", "-o", ".venv/bin/.installed", "serve"], env)
    assert result.returncode != 0
    assert "QuickCare refuses to start: SECRET_KEY is not set" in result.stderr
    assert "migrate" not in result.stdout
    assert not (tmp_path / "never.sqlite3").exists()


def test_make_serve_migrates_collects_static_then_runs_gunicorn_with_its_config():
    result = run(
        ["make", "-n", "-o", ".venv/bin/.installed", "serve", "HOST=0.0.0.0", "PORT=9000"],
        {"WORKERS": "2"},
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    steps = ["quickcare.preflight", "migrate --noinput", "collectstatic --noinput", "gunicorn"]
    found = [next(i for i, line in enumerate(lines) if step in line) for step in steps]
    assert found == sorted(found)
    gunicorn = lines[found[-1]]
    assert "-c gunicorn.conf.py" in gunicorn
    assert "HOST=0.0.0.0" in gunicorn
    assert "PORT=9000" in gunicorn
    assert "WEB_CONCURRENCY=2" in gunicorn
    assert "ENV_FILE=.env.production" in gunicorn


def test_gunicorn_config_workers_threads_timeouts_and_json_access_log():
    code = (
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('bind', 'workers', 'threads', 'timeout', "
        "'graceful_timeout', 'preload_app', 'accesslog', 'wsgi_app')}))"
    )
    env = {
        "ENV_FILE": str(EXAMPLE),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": AUDIT_KEY,
        "PORT": "8123",
    }
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    import json
    import os

    config = json.loads(result.stdout)
    assert config["bind"] == "127.0.0.1:8123"
    assert config["workers"] == (os.cpu_count() or 1) * 2 + 1
    assert config["threads"] == 4
    assert config["timeout"] == 30
    assert config["graceful_timeout"] == 30
    assert config["preload_app"] is False  # HUP reloads the code
    assert config["accesslog"] == "-"
    assert config["wsgi_app"] == "quickcare.wsgi:application"
    refused = run([sys.executable, "-c", code], {"ENV_FILE": str(EXAMPLE)})
    assert refused.returncode == 2
    assert "SECRET_KEY is not set" in refused.stderr


def test_the_procfile_runs_web_and_worker():
    lines = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert lines == {
        "web": "gunicorn -c gunicorn.conf.py",
        "worker": "python manage.py db_worker",
    }


ACCESS_LINE_SCRIPT = """
import datetime, io, json, logging, runpy, sys
from types import SimpleNamespace
from gunicorn.config import Config
conf = runpy.run_path("gunicorn.conf.py")
cfg = Config()
for key in ("accesslog", "errorlog", "logconfig_dict", "loglevel"):
    cfg.set(key, conf[key])
log = conf["JsonAccessLogger"](cfg)
stream = io.StringIO()
handler = logging.getLogger("gunicorn.access").handlers[0]
handler.setStream(stream)
resp = SimpleNamespace(status="201 Created", headers=[("X-Request-ID", "rid-7")], sent=42)
environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/documents/x/file/",
           "QUERY_STRING": "token=signed-secret",
           "RAW_URI": "/api/documents/x/file/?token=signed-secret",
           "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1"}
log.access(resp, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12.5))
sys.stdout.write(stream.getvalue())
"""


def test_gunicorn_access_lines_are_json_with_the_request_id_and_no_query_string():
    env = {
        "ENV_FILE": str(EXAMPLE),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": AUDIT_KEY,
    }
    result = run([sys.executable, "-c", ACCESS_LINE_SCRIPT], env)
    assert result.returncode == 0, result.stderr
    import json

    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert record["logger"] == "gunicorn.access"
    assert record["request_id"] == "rid-7"
    assert record["method"] == "POST"
    assert record["path"] == "/api/documents/x/file/"
    assert record["status"] == 201
    assert record["duration_ms"] == 12.5
    assert record["time"].endswith("Z")
    assert "signed-secret" not in line


@pytest.mark.django_db
def test_with_https_on_plain_http_is_redirected_except_health(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/doctors/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/health/live/").status_code == 200
    assert client.get("/api/doctors/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
