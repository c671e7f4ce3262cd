# QuickCare: `make run` serves the API with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTHON := $(shell for p in python3.13 python3.12; do $$p -c 'import sys' >/dev/null 2>&1 && { echo $$p; break; }; done)
export UV_PYTHON_DOWNLOADS := never
PYTEST_ARGS ?=

.PHONY: install run test lint static check format bench e2e worker clean fuzz serve up smoke prepare-production messages

$(BIN)/.installed: requirements/dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.13 or 3.12 is needed"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	@touch $@

install: $(BIN)/.installed

.env:
	cp .env.example .env

run: install .env
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "QuickCare on http://127.0.0.1:$(PORT)/api/docs/  (OTPs and temp passwords: var/sms.jsonl)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# mypy's django plugin imports the settings, which need SECRET_KEY outside DEBUG: give the
# checks a throwaway one so they work in a fresh clone without `.env` or exported variables.
CHECK_ENV := SECRET_KEY=static-checks-not-a-secret

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECK_ENV) $(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every check but the tests (CI runs it once, beside the suites on both databases).
static: lint
	$(CHECK_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(CHECK_ENV) $(BIN)/python manage.py spectacular --fail-on-warn --validate --file /dev/null

check: static test

e2e: install
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	QUICKCARE_E2E=1 $(BIN)/python -m pytest e2e -p no:xdist

# wrk (Debian's package) is the load generator; BENCH_ARGS e.g. "--seconds 3" or "--scale 10".
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

fuzz: install
	$(BIN)/python -m fuzz.run

# The task worker (django_tasks_db). Development reads `.env`; production names its file:
# `ENV_FILE=.env.production make worker` (or `make up`, which starts it beside the web server).
worker: install $(if $(ENV_FILE),,.env)
	$(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) db.sqlite3 var private_media staticfiles

# --- Container image (optional, not in CI): see docs/CONTAINER.md ---------------------------
.PHONY: image image-base image-tools
# A machine without a Docker engine builds with podman; base images cannot be pulled there, so
# `make image` debootstraps a Debian trixie root (Python 3.13) into var/image-base and imports it.
PODMAN := podman --storage-driver vfs
IMAGE ?= quickcare:latest
IMAGE_BASE ?= localhost/quickcare-base:trixie
IMAGE_PORT ?= 8800
DEBIAN_MIRROR ?=
# The build's downloads trust what this machine trusts (pip's PIP_CERT, else the system bundle).
IMAGE_CA_BUNDLE ?= $(or $(PIP_CERT),/etc/ssl/certs/ca-certificates.crt)

image-tools:
	@command -v podman >/dev/null && command -v debootstrap >/dev/null && command -v runc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap runc; }

IMAGE_BASE_TAR := var/image-base/trixie.tar

# A minimal Debian trixie root with Python 3.13 (bookworm has 3.11 only), as a tarball.
$(IMAGE_BASE_TAR):
	$(MAKE) image-tools
	rm -rf var/image-base/rootfs && mkdir -p var/image-base
	debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
		trixie var/image-base/rootfs $(DEBIAN_MIRROR)
	chroot var/image-base/rootfs apt-get clean
	rm -rf var/image-base/rootfs/var/lib/apt/lists/* var/image-base/rootfs/var/cache/apt/*
	tar -C var/image-base/rootfs -cf $@.tmp . && mv $@.tmp $@
	rm -rf var/image-base/rootfs

image-base: image-tools $(IMAGE_BASE_TAR)
	$(PODMAN) image exists $(IMAGE_BASE) || $(PODMAN) import \
		--change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' $(IMAGE_BASE_TAR) $(IMAGE_BASE)

IMAGE_CHECK := quickcare-image-check
# Running here: crun refuses this machine's hybrid cgroups, so runc; limits set explicitly
# (the defaults exceed what the sandbox may set); the health check runs on demand (no systemd).
PODMAN_RUN := $(PODMAN) --runtime runc
IMAGE_RUN_OPTS := --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096
# Until the project has a gunicorn.conf.py, check the image with an equivalent command line.
IMAGE_ENTRYPOINT := $(if $(wildcard gunicorn.conf.py),,--entrypoint '["gunicorn","--workers","2","--threads","4","--access-logfile","-"]')
IMAGE_RUN_ENV := -e SECRET_KEY=image-check-not-a-secret-0123456789abcdef0123456789 \
	-e AUDIT_SIGNING_KEY=aW1hZ2UtY2hlY2stbm90LWEtc2VjcmV0LTAxMjM0NTY= \
	-e ALLOWED_HOSTS=127.0.0.1,localhost -e PORT=$(IMAGE_PORT) \
	-e DATABASE_URL=sqlite:////data/db.sqlite3 -e SMS_BACKEND=core.sms.FileBackend

# Build the image over the local base, run it (loopback, SQLite in a volume) until its
# HEALTHCHECK passes, then stop it. Optional: needs root, podman and debootstrap (Debian).
image: image-base
	$(PODMAN) build --format docker --isolation chroot --network host \
		--build-arg BASE_IMAGE=$(IMAGE_BASE) --secret id=ca,src=$(IMAGE_CA_BUNDLE) -t $(IMAGE) .
	@$(PODMAN) image inspect $(IMAGE) --format 'image size: {{.Size}} bytes'
	-@$(PODMAN) rm -f $(IMAGE_CHECK) >/dev/null 2>&1; $(PODMAN) volume rm -f $(IMAGE_CHECK) >/dev/null 2>&1
	$(PODMAN_RUN) run --rm --no-healthcheck $(IMAGE_RUN_OPTS) -v $(IMAGE_CHECK):/data \
		$(IMAGE_RUN_ENV) --entrypoint '["python3","manage.py","migrate","--noinput"]' $(IMAGE)
	$(PODMAN_RUN) run -d --name $(IMAGE_CHECK) --health-interval disable $(IMAGE_RUN_OPTS) \
		-v $(IMAGE_CHECK):/data $(IMAGE_RUN_ENV) $(IMAGE_ENTRYPOINT) $(IMAGE) quickcare.wsgi:application
	@status=1; start=$$(date +%s); for i in $$(seq 1 90); do \
		if $(PODMAN_RUN) healthcheck run $(IMAGE_CHECK) >/dev/null 2>&1; then status=0; break; fi; sleep 1; \
	done; \
	if [ $$status = 0 ]; then echo "image health check passed $$(( $$(date +%s) - start )) s after start"; \
		$(PODMAN_RUN) inspect $(IMAGE_CHECK) --format 'health: {{.State.Health.Status}}'; \
		curl -s -H 'X-Forwarded-Proto: https' http://127.0.0.1:$(IMAGE_PORT)/health/; echo; \
	else echo "image health check failed"; fi; \
	$(PODMAN) logs $(IMAGE_CHECK) 2>&1 | tail -15; \
	$(PODMAN_RUN) stop -t 10 $(IMAGE_CHECK) >/dev/null; $(PODMAN) rm -f $(IMAGE_CHECK) >/dev/null; \
	$(PODMAN) volume rm -f $(IMAGE_CHECK) >/dev/null; exit $$status

# --- Production (docs/OPERATIONS.md) ---------------------------------------------------------
# `make serve [HOST=0.0.0.0] [PORT=8000] [WORKERS=n]`: DEBUG off, settings from the environment
# over ENV_FILE (default .env.production, see .env.production.example); refuses to start
# without SECRET_KEY and ALLOWED_HOSTS; migrates, collects static files, then runs gunicorn.
HOST ?= 127.0.0.1
WORKERS ?=
PROD_ENV_FILE := $(or $(ENV_FILE),.env.production)
PROD_ENV := ENV_FILE=$(PROD_ENV_FILE) HOST=$(HOST) PORT=$(PORT) $(if $(WORKERS),WEB_CONCURRENCY=$(WORKERS))

prepare-production: install
	@$(PROD_ENV) $(BIN)/python -m quickcare.preflight
	$(PROD_ENV) $(BIN)/python manage.py migrate --noinput
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

serve: prepare-production
	$(PROD_ENV) exec $(BIN)/gunicorn -c gunicorn.conf.py

# Web and worker together (Procfile, honcho); honcho's own `.env` loading is turned off.
up: prepare-production
	$(PROD_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho start --env /dev/null

# A production server on PostgreSQL + Redis + S3 (moto) answering one patient's whole flow.
smoke: install
	$(BIN)/python -m smoke.run
# Compile the translation catalogues (.po -> .mo; the .mo files are committed, this rebuilds them).
messages: install
	cd notifications && $(CHECK_ENV) ../$(BIN)/python ../manage.py compilemessages

# Trust layer (issue 15): audit chain append cost and verify speed on PostgreSQL.
bench-audit: install
	$(BIN)/python -m bench.audit_chain
