# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
# pytest-xdist workers: one per core keeps `make test` within its budget on a 2-core machine. Whole
# modules go to one worker (loadscope), so that a module's costly fixtures (the demo, a live server)
# are built once, not once per worker.
TEST_WORKERS ?= auto
PORT ?= 8000

.PHONY: install run test test-smoke lint messages serve worker beat clean bench security fault load

# Python writes its bytecode caches here even where the machine says not to (PYTHONDONTWRITEBYTECODE, set
# on CI's machine): otherwise every process compiles Django and the project again, and pytest rewrites
# every test module again, which was a sixth of `make test` (each xdist worker, Celery worker, gunicorn
# and settings subprocess the suite starts paid 3 to 5 s). An empty value is Python's "not set".
export PYTHONDONTWRITEBYTECODE :=

# uv installs what pip would, from the same index, in a few seconds instead of half a minute (it is most
# of a fresh `make test`'s set-up); pip does it where uv cannot be had or cannot reach the index. uv
# compiles the bytecode once at install, as pip does.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	($(PY) -m pip install --quiet uv && $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-dev.txt) \
		|| $(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite against whatever DATABASE_URL / CELERY_BROKER_URL say (SQLite and eager Celery when
# unset), in parallel. When the suite runs on PostgreSQL, the smoke part runs once more on the embedded
# default so that it stays green too: alongside the suite, whose workers leave the cores idle while they
# wait for the database, the browser and real Celery workers, and its output is shown after the suite's.
# On PostgreSQL the test sessions don't wait for each commit to reach the disk: a throwaway test
# database needs no durability, and flushes go faster.
test: install
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || (echo "Missing migrations: run manage.py makemigrations" && exit 1)
	@smoke=""; \
	if [ -n "$$DATABASE_URL" ]; then smoke=$$(mktemp); $(MAKE) --no-print-directory test-smoke > $$smoke 2>&1 & fi; \
	PGOPTIONS="-c synchronous_commit=off" $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadscope; suite=$$?; \
	if [ -n "$$smoke" ]; then wait $$!; smoked=$$?; echo "Smoke part on the embedded default (SQLite, eager Celery):"; \
		cat $$smoke; rm -f $$smoke; [ $$smoked -eq 0 ] || exit $$smoked; fi; \
	exit $$suite

test-smoke: install
	env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND JIPP_REQUIRE_SERVICES= \
		$(VENV)/bin/pytest -m smoke -p no:cacheprovider -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Security scanning (issue 12): ruff's security rules (S; S101, assert, is how tests check), bandit on the code (configured in
# pyproject.toml; medium and high findings fail), pip-audit on the runtime requirements (needs PyPI).
security: install
	$(VENV)/bin/ruff check --select S --ignore S101 .
	$(VENV)/bin/bandit -c pyproject.toml -r jipp innovations catalog competitions -q --severity-level medium
	$(VENV)/bin/pip-audit -r requirements.txt --progress-spinner off

messages: install
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) scripts/po_fill.py locale/id/sources/*.json

# Production-like: gunicorn, a Celery worker and celery beat against DATABASE_URL and CELERY_BROKER_URL.
# Ctrl-C stops all three.
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/honcho start -f Procfile

# Benchmarks (docs/benchmarks.md): against PostgreSQL and Redis, by default the local servers CI has. The
# database is created if need be, migrated and given the demo's reference data (regions, institutions).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jipp_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/10
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/11
bench: install
	export DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(BENCH_BROKER_URL)} \
		CACHE_URL=$${CACHE_URL:-$(BENCH_CACHE_URL)}; \
	$(PY) scripts/bench_database.py && $(PY) manage.py migrate --noinput -v 0 && $(PY) manage.py seed_demo && \
	for script in bench/*.py; do $(PY) $$script || exit 1; done

# Fault tests (issue 12; docs/reliability.md, "Faults"): a worker SIGKILLed during 1,000 deliveries and
# during an import, Redis down for 30 s, PostgreSQL refusing connections under gunicorn. Real workers,
# an SMTP sink and a Redis server of the run's own; DATABASE_URL names the PostgreSQL database
# (scripts/reliability/faults.py has the default). Fails if a promise broke; figures in bench/results-faults.json.
fault: install
	$(PY) scripts/reliability/faults.py

# Load test (issue 12; docs/reliability.md, "Load"): locust, 100 clients for 60 s against gunicorn with
# 10,000 generated records on PostgreSQL (DATABASE_URL); fails on any error.
load: install
	$(PY) scripts/reliability/load.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
