"""The container files: the image's HEALTHCHECK probe against a live server (it must pass
behind the HTTPS redirect and the host check, and fail when nothing answers), and the
compose file's services, order and health checks."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import yaml
from django.core.handlers.wsgi import WSGIHandler

ROOT = Path(__file__).resolve().parents[2]


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def _healthcheck_command() -> list[str]:
    match = re.search(r"^HEALTHCHECK .*? CMD (\[.*\])$", _dockerfile(), re.MULTILINE)
    assert match, "no exec-form HEALTHCHECK in the Dockerfile"
    command = json.loads(match.group(1))
    assert command[0] == "python3"  # the image has no curl
    return [sys.executable, *command[1:]]


def _probe(port: int, allowed_hosts: str) -> int:
    env = {**os.environ, "PORT": str(port), "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run(_healthcheck_command(), env=env, timeout=30, check=False).returncode


def test_the_image_is_multi_stage_non_root_and_serves_with_gunicorn():
    text = _dockerfile()
    assert re.search(r"^ARG BASE_IMAGE=python:3\.13-slim$", text, re.MULTILINE)
    assert len(re.findall(r"^FROM \$\{BASE_IMAGE\} AS ", text, re.MULTILINE)) == 2
    assert "pip wheel --wheel-dir" in text
    assert "requirements/base.txt" in text
    assert re.search(r"^USER quickcare$", text, re.MULTILINE)
    assert "collectstatic --noinput" in text
    assert "/health/live/" in text
    assert re.search(r'^ENTRYPOINT \["gunicorn", "--config", "gunicorn.conf.py"\]$', text, re.M)


def test_the_build_context_leaves_out_secrets_and_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".env.*", ".git", ".venv", "var", "db.sqlite3*", "private_media"} <= ignored


@pytest.fixture
def serve():
    """serve() -> the port of a WSGI server of the app built now (its middleware reads the
    settings at construction, as gunicorn's workers do at boot)."""
    servers = []

    def start() -> int:
        server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server_port

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def test_the_healthcheck_passes_behind_the_https_redirect_and_host_check(serve, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: plain HTTP on loopback is redirected
    settings.ALLOWED_HOSTS = ["api.example.org"]
    assert _probe(serve(), "api.example.org,.example.org") == 0


def test_the_healthcheck_fails_for_a_host_django_refuses(serve, settings):
    settings.ALLOWED_HOSTS = ["api.example.org"]
    assert _probe(serve(), "not-allowed.example.org") != 0  # a 400 is not healthy


def test_the_healthcheck_fails_when_nothing_answers():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the probe: nothing listens
    assert _probe(port, "localhost") != 0


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_web_worker_and_their_dependencies():
    services = _compose()["services"]
    assert {"web", "worker", "migrate", "db", "redis", "minio", "bucket"} <= set(services)
    for name in ("web", "worker", "migrate"):
        assert services[name]["env_file"] == ".env.production"
        assert services[name]["environment"]["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert services["worker"]["entrypoint"] == ["python3", "manage.py", "db_worker"]
    assert services["migrate"]["entrypoint"][:3] == ["python3", "manage.py", "migrate"]
    web_needs = services["web"]["depends_on"]
    assert web_needs["migrate"]["condition"] == "service_completed_successfully"
    assert web_needs["db"]["condition"] == web_needs["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_services_have_health_checks():
    services = _compose()["services"]
    for name in ("db", "redis", "minio"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
    assert "healthcheck" not in services["web"]  # the image's own HEALTHCHECK
    assert services["worker"]["healthcheck"] == {"disable": True}  # no HTTP server there
