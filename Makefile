# Set-up and everyday commands. Each target installs what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi:create_app

.PHONY: run test e2e bench bench-clock bench-compare wrk install assets translations chromium lint db

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

static/vendor/dkfds/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	rm -rf static/vendor/dkfds
	mkdir -p static/vendor/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js \
	      node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img static/vendor/dkfds/
	touch $@

assets: static/vendor/dkfds/.installed

# Each area keeps its own Danish catalogue under translations/<area>/.
translations: install
	@for dir in translations/*/; do \
	  ls "$$dir"*/LC_MESSAGES/*.po >/dev/null 2>&1 || continue; \
	  $(BIN)/pybabel compile -d "$$dir" >/dev/null || exit 1; \
	done

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  $(SUDO) apt-get install -y -q chromium; }

db: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

run: install assets translations db
	$(BIN)/flask run --port $(PORT)

# Two processes for everything but the browser tests (pytest-xdist, each on a
# database of its own), then the browser tests in one process: they share one
# Chromium and one live server.
test: install assets translations chromium
	$(BIN)/pytest -n 2 --ignore=tests/e2e
	$(BIN)/pytest -n 2 tests/e2e

e2e: install assets translations chromium
	$(BIN)/pytest tests/e2e

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && \
	  $(SUDO) apt-get install -y -q wrk; }

# The run checks its own time (issue 19: under 20 minutes on a fresh machine),
# counted from here, before anything is installed.
bench-clock:
	mkdir -p $${BENCH_RESULTS:-bench-results}
	date +%s > $${BENCH_RESULTS:-bench-results}/started

# PostgreSQL too: BENCH_DATABASE_URL, or a server on loopback started for the run.
bench: bench-clock install assets translations wrk
	tests/bench/with-postgres $(BIN)/python -m tests.bench

# The difference between the last two runs of the pages benchmark (bench-results/).
bench-compare: install
	$(BIN)/python -m tests.bench.compare

lint: install
	$(BIN)/ruff check .
