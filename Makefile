# Two commands for a fresh machine: `make run` and `make test` (see README.md).
# Each sets up what it needs; nothing is installed by hand.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local runs serve plain HTTP on 127.0.0.1; a deployment never sets this.
LOCAL := DJANGO_HTTPS=false

.PHONY: run dev test lint check pytest bench superuser chromium java wrk nginx clean

$(BIN)/activate: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "error: Python 3.12 or newer is needed ($(PYTHON) is $$($(PYTHON) -V))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

run: $(BIN)/activate
	$(BIN)/python -m roochi_site.serve --port $(PORT)

dev: $(BIN)/activate
	$(BIN)/python -m roochi_site.serve --dev --port $(PORT)

superuser: $(BIN)/activate
	$(LOCAL) $(BIN)/python manage.py createsuperuser

# Browser tests drive Debian's Chromium; Playwright's own download is never used.
chromium:
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "error: Chromium is needed for the browser tests. Install it (Debian: sudo apt-get install chromium)"; \
		echo "       or set CHROMIUM_PATH to a Chromium or Chrome executable."; exit 1; \
	fi

# Test-only tools from the npm registry (package-lock.json): axe-core for the accessibility
# check, vnu.jar (the Nu Html Checker, run with Java) for valid HTML. Install scripts are
# not run: vnu-jar's would download a Java runtime; the system's Java 17 is used.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: node and npm are needed (Debian: sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

java:
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "error: Java 17 or newer is needed for the HTML check (Debian: sudo apt-get install default-jre-headless)"; exit 1; \
	fi

# The load generator of `make bench` (and of its smoke run in the tests), from Debian.
wrk:
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "error: wrk is needed for the benchmark (Debian: sudo apt-get install wrk)"; exit 1; \
	fi

# The reverse proxy of README.md (deploy/roochi-proxy.conf), run by its test, from Debian.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	else \
		echo "error: nginx is needed for the reverse-proxy test (Debian: sudo apt-get install nginx-light)"; exit 1; \
	fi

lint: $(BIN)/activate
	$(BIN)/ruff check .

check: $(BIN)/activate
	$(LOCAL) $(BIN)/python manage.py check --fail-level WARNING
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(BIN)/activate chromium java wrk nginx node_modules/.package-lock.json
	$(BIN)/pytest

# The load benchmark against a bare Django reference (bench/run.py); results go to
# docs/benchmarks.md. BENCH_ARGS="--quick" for a short run.
bench: $(BIN)/activate wrk nginx
	$(BIN)/python -m bench.run $(BENCH_ARGS)

test: lint check pytest

clean:
	rm -rf $(VENV) staticfiles node_modules .pytest_cache .ruff_cache
