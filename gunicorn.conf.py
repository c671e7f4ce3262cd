"""gunicorn settings for `make serve` (production): `gunicorn -c gunicorn.conf.py`.

Workers default to 2 x CPUs + 1 (WEB_CONCURRENCY overrides), each with GUNICORN_THREADS
threads. `kill -HUP <master pid>` reloads gracefully: new workers start with the new code and
settings, old ones finish their requests (no preload, so each worker imports the app itself).
Every line is JSON (core.logs): gunicorn's own messages and one access line per request,
carrying the request's X-Request-ID, its path without the query string (signed download
tokens travel there), status and duration.
"""

import multiprocessing
import os
import sys

from gunicorn.glogging import Logger

from quickcare import preflight

if preflight.main():
    sys.exit(preflight.EXIT_REFUSED)

wsgi_app = "quickcare.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (a slow leak never grows without bound), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
preload_app = False
# A proxy on another host must be listed to be trusted for X-Forwarded-* (default: loopback).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Signals are the control (HUP reload, TTIN/TTOU workers, TERM stop): no socket in $HOME that
# two servers on one machine would share.
control_socket_disable = True
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JsonAccessLogger(Logger):
    """Access lines as structured records (fields, not gunicorn's Apache format string)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        headers = {name.lower(): value for name, value in resp.headers}
        duration_ms = round(request_time.total_seconds() * 1000, 1)
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        self.access_log.info(
            "%s %s %s %sms",
            method,
            path,
            status,
            duration_ms,
            extra={
                "request_id": headers.get("x-request-id"),
                "method": method,
                "path": path,
                "status": int(status),
                "duration_ms": duration_ms,
                "bytes": getattr(resp, "sent", None),
                "remote_addr": environ.get("REMOTE_ADDR"),
            },
        )


logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    "handlers": {
        "json_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": "INFO", "handlers": ["json_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["json_console"], "propagate": False},
    },
}
