# One Makefile for everything: it bootstraps .venv from pyproject.toml and runs the site,
# the tests, the benchmarks, the linter and the translation catalogues.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python site/manage.py
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APPS := frivillig_blocks booking kalender boers initiativpris kurser henvendelser
PYTEST_WORKERS ?= 2

.PHONY: run test lint format bench messages chromium install install-dev clean

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

## make test: every test (unit, admin, webhook, browser), in parallel.
test: install-dev chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

chromium:
	@if [ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	else \
		echo "Chromium is missing: install it with your package manager and set CHROMIUM_PATH to its executable." >&2; \
		exit 1; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make messages: extract every app's strings and compile the catalogues (the .mo files are committed).
messages: install-dev
	@for app in $(APPS); do \
		(cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/site/manage.py makemessages -l da --no-obsolete --ignore 'migrations/*' >/dev/null) || exit 1; \
	done
	$(MANAGE) makemessages -l da --no-obsolete $(foreach app,$(APPS),-i '$(app)/*') \
		-i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'site/*' >/dev/null
	$(MANAGE) compilemessages --ignore '.venv' >/dev/null

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected build dist *.egg-info
