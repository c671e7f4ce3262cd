# QuickCare: `make run` serves the API with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTHON := $(shell for p in python3.13 python3.12; do $$p -c 'import sys' >/dev/null 2>&1 && { echo $$p; break; }; done)
export UV_PYTHON_DOWNLOADS := never
PYTEST_ARGS ?=

.PHONY: install run test lint static check format bench e2e worker clean fuzz

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

bench: install
	$(BIN)/python -m bench.run

fuzz: install
	$(BIN)/python -m fuzz.run

worker: install .env
	$(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) db.sqlite3 var private_media staticfiles

# Trust layer (issue 15): audit chain append cost and verify speed on PostgreSQL.
bench-audit: install
	$(BIN)/python -m bench.audit_chain
