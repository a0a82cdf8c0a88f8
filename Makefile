# OpenMARAC developer commands. Run `make help` for the list.
#
# Everything is installed inside the repository: Python packages in .venv, Node packages in
# node_modules, built assets in openmarac/static/build. Stamp files make repeated runs fast.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3.11
PORT ?= 8000
# The address e-mailed links point at under `make run`: the port served unless SITE_URL is set.
RUN_SITE_URL = $(or $(SITE_URL),http://127.0.0.1:$(PORT))
CHROMIUM ?= /usr/bin/chromium

VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BUILD_STAMP := openmarac/static/build/.built
SCSS := $(wildcard frontend/scss/*.scss)

.PHONY: help install browser faketime proxy run screenshots lint typecheck migrations-check security test test-dates prod-check restore-check bench bench-accuracy bench-latency clean bench-reports bench-retention bench-pages bench-load bench-faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

install: $(VENV_STAMP) $(NODE_STAMP) $(BUILD_STAMP) ## Python and Node packages, built assets

$(VENV_STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (set PYTHON=... to use another path)" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20.19 or later (with npm) is required" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(BUILD_STAMP): $(NODE_STAMP) frontend/build.mjs $(SCSS)
	npm run build
	touch $@

browser: ## Debian's Chromium for the browser tests, if missing
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "Chromium is missing at $(CHROMIUM) and this user cannot install it:" \
	    "run 'apt-get install chromium' as root, or set CHROMIUM=/path/to/chromium" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM), or set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

faketime: ## Debian's libfaketime for make test-dates, if missing
	@if ! command -v faketime >/dev/null; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "faketime is missing and this user cannot install it:" \
	    "run 'apt-get install faketime' as root" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null || { echo "Install libfaketime's faketime command" >&2; exit 1; }; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y faketime; \
	fi

proxy: ## Debian's nginx for make prod-check, if missing
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "nginx is missing and this user cannot install it:" \
	    "run 'apt-get install nginx' as root" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null || { echo "Install nginx" >&2; exit 1; }; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx; \
	fi

run: install ## Serve a demo partnership at http://127.0.0.1:8000 (PORT=... to change; e-mailed links follow)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py retention_reapply
	$(PY) manage.py load_checklists
	$(PY) manage.py load_demo --if-empty
	@echo
	@echo "OpenMARAC is running at http://127.0.0.1:$(PORT)/"
	@echo
	@$(PY) manage.py demo_accounts --port $(PORT)
	@echo
	@echo "The deadline worker runs alongside the web server (manage.py run_worker)."
	@echo "E-mailed links point at $(RUN_SITE_URL)"
	SITE_URL='$(RUN_SITE_URL)' $(PY) manage.py run_worker --interval 30 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  SITE_URL='$(RUN_SITE_URL)' $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV_STAMP) ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV_STAMP) ## mypy with django-stubs
	$(VENV)/bin/mypy openmarac

migrations-check: $(VENV_STAMP) ## Fail if a model change has no migration
	OPENMARAC_ENV=test $(PY) manage.py makemigrations --check --dry-run

security: $(VENV_STAMP) ## bandit (no medium or high findings) and pip-audit of the pinned requirements
	$(VENV)/bin/bandit -r openmarac -x openmarac/static --severity-level medium --quiet
	$(VENV)/bin/pip-audit --requirement requirements-dev.txt --no-deps --disable-pip --progress-spinner off

test: install browser lint typecheck migrations-check security ## Checks, then the whole suite incl. browser tests
	mkdir -p var
	OPENMARAC_ENV=test OPENMARAC_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -n 2 -p no:randomly

screenshots: install browser ## The README's screenshots of each role's home and the case record, into docs/screenshots
	mkdir -p var docs/screenshots
	OPENMARAC_ENV=test OPENMARAC_CHROMIUM=$(CHROMIUM) OPENMARAC_SCREENSHOTS=docs/screenshots \
	  $(VENV)/bin/pytest -p no:randomly -q tests/browser/test_screenshots.py

# The tests whose data is dated, run with the machine's clock moved by libfaketime to days that
# catch careless date arithmetic: a leap day, a Sunday at a month's end, Christmas Eve and the
# night the clocks go back (01:00 UTC on 25 October 2026). Each start (UTC) is a few minutes
# before London's midnight or the change, and the clock runs on, so each run crosses it. The clock
# is moved by an offset (a start date would restart it in each new process). Only pytest and its
# children see it; a PostgreSQL server keeps the real one. The tests run on their own fixed clock
# (tests/conftest.py), and so do the worker processes some of them start
# (tests/support/on_test_clock.py), so a failure here is code that reads the machine's date.
DATE_TESTS ?= tests/test_demo.py tests/test_research.py tests/test_meetings.py \
  tests/test_meetings_ui.py tests/test_triage.py tests/test_actions.py tests/test_lifecycle.py \
  tests/test_licences.py tests/test_workdays.py tests/test_worker.py tests/test_proceedings.py \
  tests/test_proceedings_stand_in_minutes.py tests/test_auth_sessions.py
ODD_DATES ?= 2028-02-29T23:57:00 2026-05-31T22:57:00 2026-12-24T23:57:00 2026-10-25T00:57:00

test-dates: $(VENV_STAMP) faketime ## The dated tests with the machine's clock moved to awkward days
	mkdir -p var
	for start in $(ODD_DATES); do \
	  offset=$$(printf '%+d' $$(( $$(date -u -d "$${start/T/ }" +%s) - $$(date -u +%s) ))); \
	  echo "== the machine's clock starts at $${start/T/ } UTC"; \
	  TZ=UTC OPENMARAC_ENV=test faketime -m -f "$$offset" \
	    $(VENV)/bin/pytest -n 2 -p no:randomly -q $(DATE_TESTS); \
	done

# The production configuration on this machine: gunicorn, the worker and nginx (TLS) against the
# local PostgreSQL and Redis, with keys made for the run; a smoke test through the proxy, then
# everything stopped (deploy/prod_check.py). Its own database, dropped after a pass.
PROD_CHECK_DATABASE ?= openmarac_prodcheck
PROD_CHECK_REDIS ?= redis://127.0.0.1:6379/12

prod-check: install proxy ## Stand production up on 127.0.0.1 (gunicorn, worker, nginx, PostgreSQL, Redis) and smoke-test it
	PATH="$$PATH:/usr/sbin" $(PY) deploy/prod_check.py --database $(PROD_CHECK_DATABASE) --redis $(PROD_CHECK_REDIS)

# A backup restored and verified, as docs/operations.md does it: pg_dump of a scratch database with
# the demo in it, pg_restore into another, verify_audit (chain and signed anchor), row counts, and
# the dump without its keys (deploy/restore_check.py). Both databases dropped after a pass.
RESTORE_CHECK_DATABASE ?= openmarac_restorecheck

restore-check: install ## Prove a pg_dump backup restores and its audit chain verifies (scratch PostgreSQL databases)
	$(PY) deploy/restore_check.py --database $(RESTORE_CHECK_DATABASE)

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(VENV_STAMP) requirements-bench.txt
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-bench.txt
	touch $@

bench: bench-accuracy bench-latency ## Matcher benchmarks: FEBRL4 accuracy, then 1M-people latency on DATABASE_URL

bench-accuracy: $(BENCH_STAMP) ## Matcher accuracy on FEBRL4, FEBRL3, then synthetic referrals with relatives (held-out seed; scratch SQLite in var/bench)
	$(PY) bench/febrl4.py
	$(PY) bench/febrl3.py
	$(PY) bench/referrals.py

bench-latency: $(BENCH_STAMP) ## Matching latency over 1,000,000 synthetic people (PostgreSQL DATABASE_URL of its own)
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the benchmark, e.g. postgres://postgres@127.0.0.1:5432/openmarac_bench" >&2; exit 1; }
	$(PY) bench/latency.py

bench-reports: $(VENV_STAMP) ## Reports over 100,000 cases and 10 years (PostgreSQL DATABASE_URL of its own)
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the benchmark, e.g. postgres://postgres@127.0.0.1:5432/openmarac_reports_bench" >&2; exit 1; }
	$(PY) bench/reports.py

bench-pages: $(BENCH_STAMP) ## Every page three roles use, timed against the floor (PostgreSQL DATABASE_URL of its own; CASES=10000)
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the benchmark, e.g. postgres://postgres@127.0.0.1:5432/openmarac_pages_bench" >&2; exit 1; }
	$(PY) bench/pages.py --cases $${CASES:-10000}

bench-load: $(BENCH_STAMP) ## USERS (200) simulated users for DURATION seconds (600) against gunicorn, then the ledger checked (PostgreSQL DATABASE_URL of its own)
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the load test, e.g. postgres://postgres@127.0.0.1:5432/openmarac_load_bench" >&2; exit 1; }
	LOCUST=$${LOCUST:-$(VENV)/bin/locust} $(PY) bench/load/run.py --cases $${CASES:-10000} --users $${USERS:-200} --seconds $${DURATION:-600}

bench-faults: $(BENCH_STAMP) ## The load test three times: database connections ended, a web worker killed, Redis unreachable
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the load test, e.g. postgres://postgres@127.0.0.1:5432/openmarac_load_bench" >&2; exit 1; }
	for fault in pg-kill web-worker-kill redis-down; do LOCUST=$${LOCUST:-$(VENV)/bin/locust} $(PY) bench/load/run.py --cases $${CASES:-10000} --users $${USERS:-50} --seconds $${DURATION:-120} --fault $$fault || exit 1; done

bench-retention: $(VENV_STAMP) ## The daily retention sweep over 100,000 closed cases (PostgreSQL DATABASE_URL of its own)
	@test -n "$${DATABASE_URL:-}" || { echo "Set DATABASE_URL to a PostgreSQL database used only for the benchmark, e.g. postgres://postgres@127.0.0.1:5432/openmarac_bench" >&2; exit 1; }
	$(PY) bench/retention.py

clean: ## Remove installed packages, built assets and caches (keeps var/openmarac.sqlite3)
	rm -rf $(VENV) node_modules openmarac/static/build var/static
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis
	rm -f var/test*.sqlite3*
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
