# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast browser-deps proxy-deps node-deps lint format migrate demo bench reliability clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# A developer's machine runs with DEBUG on (and the built-in key) unless told otherwise.
LOCAL := DEBUG=$${DEBUG:-true}

migrate: $(STAMP)
	$(LOCAL) $(BIN)/python manage.py migrate --noinput
	$(LOCAL) $(BIN)/python manage.py createcachetable
	$(LOCAL) $(BIN)/python manage.py load_terms

demo: migrate
	$(LOCAL) $(BIN)/python manage.py load_demo

## Set up everything and serve the site with demo data on http://127.0.0.1:8000
run: demo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Browser tests need Debian's chromium; install it when we can, otherwise they skip.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium zbar-tools >/dev/null) \
			|| echo "Could not install chromium: browser tests will skip."; \
	fi

## The reliability suite puts Debian's nginx in front of its gunicorn, as production does.
proxy-deps:
	@if [ ! -x /usr/sbin/nginx ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing nginx for the reliability suite..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
			|| echo "Could not install nginx: the proxy scenarios will fail."; \
	fi

## The independent readers some tests check our calendar files with (Mozilla's ical.js) come
## from npm; without node and npm those tests skip (and fail in CI).
NODE_STAMP := tests/node/node_modules/.installed
$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null; then \
		(cd tests/node && npm ci --no-audit --no-fund --silent) && touch $(NODE_STAMP); \
	else \
		echo "npm is not installed: the ical.js calendar tests will skip."; \
	fi

node-deps: $(NODE_STAMP)

## Install what the tests need and run them all (in parallel on every core).
test: $(STAMP) browser-deps node-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench

## Real gunicorn + PostgreSQL under load, faults and hostile input (see README). Bounded by
## RELIABILITY_SECONDS, RELIABILITY_CLIENTS and HOSTILE_EXAMPLES.
reliability: $(STAMP) proxy-deps
	LOG_LEVEL=WARNING HOSTILE_EXAMPLES=$${HOSTILE_EXAMPLES:-100} \
		$(BIN)/python -m pytest reliability tests/test_hostile_input.py -p no:xdist -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
