# syntax=docker/dockerfile:1
# QuickCare API image: `docker build .` (or `make image`, which builds over a local base).
# Stage 1 builds wheels for requirements/base.txt (the pins, dependencies included) and installs
# exactly those wheels into a virtualenv, nothing else downloaded; stage 2
# copies only that virtualenv and the code, runs as a non-root user, and serves with gunicorn.
# BASE_IMAGE: any Debian-like image with Python 3.13 and its venv module (`python3 -m venv`).
ARG BASE_IMAGE=python:3.13-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
COPY requirements/base.txt requirements/base.txt
# Optional build secret `ca`: a CA bundle for builders behind a TLS-inspecting proxy; used for
# this download step only, never left in a layer.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
    && python3 -m venv /opt/venv \
    && /opt/venv/bin/pip wheel --wheel-dir /build/wheels -r requirements/base.txt \
    && /opt/venv/bin/pip install --no-deps /build/wheels/*.whl

FROM ${BASE_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    DJANGO_SETTINGS_MODULE=quickcare.settings \
    PORT=8000 \
    HOST=0.0.0.0 \
    PRIVATE_MEDIA_ROOT=/data/private_media \
    SMS_FILE_PATH=/data/sms.jsonl
RUN groupadd --gid 10001 quickcare \
    && useradd --uid 10001 --gid quickcare --create-home --home-dir /home/quickcare \
        --shell /usr/sbin/nologin quickcare \
    && mkdir -p /data && chown quickcare:quickcare /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays root-owned (read-only for the app); /data and the home directory (gunicorn's
# control socket, ~/.gunicorn) are the only writable places.
COPY . .
# Static files are collected at build time (whitenoise serves them); the key is a throwaway
# that only lets the settings load, never the one the container runs with.
RUN SECRET_KEY=collectstatic-only-not-a-secret DEBUG=False ALLOWED_HOSTS=localhost \
    python3 manage.py collectstatic --noinput --verbosity 0 \
    && python3 -m compileall -q /app
USER quickcare
EXPOSE 8000
# Liveness over loopback, in Python (no curl in the image): the Host header is the first of
# ALLOWED_HOSTS and X-Forwarded-Proto says https, so neither the host check nor the HTTPS
# redirect answers instead of the view. urlopen raises (exit 1) on anything but 2xx.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python3", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health/live/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]
# gunicorn.conf.py (project root) sets workers, threads, timeouts and logs; gunicorn binds
# 0.0.0.0:$PORT when PORT is set. The worker service runs `python3 manage.py db_worker`.
ENTRYPOINT ["gunicorn", "--config", "gunicorn.conf.py"]
CMD ["quickcare.wsgi:application"]
