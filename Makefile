# Jiandu: two commands. `make run` (embedded SQLite + demo district), `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: fonts install run serve test test-sqlite test-postgres lint format check-migrations check-translations messages translations bench demo clean

$(VENV)/.installed: requirements.in requirements-dev.in requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.in -r requirements-dev.in -c requirements.lock
	$(PY) manage.py build_pdf_fonts
	@touch $@

install: $(VENV)/.installed

translations: install
	$(PY) manage.py compile_translations

# The PDF font instance is built once here rather than at the first PDF request.
fonts: install
	$(PY) manage.py build_pdf_fonts

run: install translations fonts
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_demo --if-empty
	@echo ""
	@echo "Jiandu: http://$(HOST):$(PORT)/  - demo accounts in README.md, password Shifan@Demo2026 for all."
	@echo "The administrators (demo_sysadmin, demo_secadmin, demo_auditadmin) also need a two-factor code:"
	@echo "  add their key from README.md to an authenticator app, or print the current code with"
	@echo "  JIANDU_DEMO=1 $(PY) manage.py demo_totp demo_sysadmin"
	@echo ""
	JIANDU_DEMO=1 $(PY) manage.py run_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	JIANDU_DEMO=1 $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# With PostgreSQL configured, the two runs go side by side (each its own process and database;
# media and journal checkpoints live in each test's tmp_path): the PostgreSQL run's output is
# kept in var/test-postgres.log and printed after the SQLite run; either failing fails the target.
# The whole-application crawls run once: hostile input through every form and API operation
# (crawl_inputs) in the PostgreSQL run, whose column rules it must meet; the link crawl as every
# demo role (crawl_links) and the browser tests in the SQLite run. Without PostgreSQL, the SQLite
# run takes everything.
test: install translations
	@if [ -z "$$JIANDU_TEST_POSTGRES_URL" ]; then \
		echo "JIANDU_TEST_POSTGRES_URL not set: PostgreSQL run skipped, the SQLite run takes every test"; \
		$(MAKE) --no-print-directory test-sqlite; \
	else \
		mkdir -p var; \
		$(MAKE) --no-print-directory test-postgres > var/test-postgres.log 2>&1 & pg=$$!; \
		$(MAKE) --no-print-directory test-sqlite SQLITE_MARKS="not crawl_inputs"; sqlite=$$?; \
		wait $$pg; postgres=$$?; \
		echo ""; echo "=== PostgreSQL run (var/test-postgres.log) ==="; cat var/test-postgres.log; \
		echo "SQLite run exit $$sqlite, PostgreSQL run exit $$postgres"; \
		[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]; \
	fi

SQLITE_MARKS ?=
test-sqlite:
	$(PY) -m pytest -q --durations=15 $(if $(SQLITE_MARKS),-m "$(SQLITE_MARKS)") $(PYTEST_ARGS)

# pytest-django reads the settings before conftest.py runs, so the database is chosen through
# JIANDU_DATABASE_URL itself (the test database is test_<name>).
test-postgres:
	JIANDU_DATABASE_URL=$$JIANDU_TEST_POSTGRES_URL $(PY) -m pytest -q --durations=15 -m "not browser and not crawl_links and not two_hosts" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# The top-level catalogue (templates/, config/) and each app's own catalogue (jiandu/<app>/locale/).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore ".venv/*" --ignore "var/*" --ignore "bench/*" --ignore "jiandu/*" --ignore "tests/*" --ignore "test-output/*"
	@for app in jiandu/*/; do \
		if [ -d "$$app/locale" ]; then \
			echo "makemessages in $$app"; \
			(cd "$$app" && PYTHONPATH="$(CURDIR)" "$(abspath $(VENV))/bin/django-admin" makemessages -l zh_Hans --no-obsolete) || exit 1; \
		fi; \
	done

check-translations: install
	$(PY) manage.py check_translations

bench: install translations
	$(PY) -m bench

demo: install translations
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo

clean:
	rm -rf var/jiandu.sqlite3* var/staticfiles var/journal-checkpoints
