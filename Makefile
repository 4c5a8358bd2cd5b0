# Vårdnav: `make run` serves the demo, `make test` runs the whole suite.
# Both set everything up on a fresh machine (Python 3.11 and the package registries).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
HOST ?= 127.0.0.1
# Two workers: the machines have two cores. Override with PYTEST_ARGS="…".
PYTEST_ARGS ?= -n 2
PORT ?= 8000

.PHONY: install node vendor run serve test test-fast lint format lock migrate demo messages bench chaos chaos-restart clean

install: $(STAMP)

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

# axe-core for the accessibility checks of the browser tests (tests/accessibility.py).
NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-16)
node: $(NODE_STAMP)

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $@

# The rich-text editor of the staff settings (ORG-5) is served from static files, never a CDN:
# after changing quill's version in package.json, `make vendor` copies its built files.
QUILL_STATIC := src/vardnav/organizations/static/vendor/quill
vendor: node
	mkdir -p $(QUILL_STATIC)
	cp node_modules/quill/dist/quill.js node_modules/quill/dist/quill.js.LICENSE.txt node_modules/quill/dist/quill.core.css node_modules/quill/LICENSE $(QUILL_STATIC)/
	# No source maps are served: drop the references, which collectstatic's manifest would follow.
	sed -i '/sourceMappingURL=/d' $(QUILL_STATIC)/quill.js $(QUILL_STATIC)/quill.core.css

migrate: install
	@mkdir -p var
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py rundemo --host $(HOST) --port $(PORT)

test: install node
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check src tests
	$(PY) -m ruff format --check src tests
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache
	VARDNAV_ENV=test $(PY) -m mypy

format: install
	$(PY) -m ruff format src tests
	$(PY) -m ruff check --fix src tests

messages: install
	cd src/vardnav && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete && ../../$(PY) ../../manage.py compilemessages

# Re-resolve dependencies after editing requirements/*.in (needs `pip install uv`).
lock:
	uv pip compile --python-version 3.11 --generate-hashes requirements/dev.in -o requirements.lock

# Benchmark and crash test (not part of CI or `make test`); both need the local PostgreSQL
# (BENCH_PG_HOST/PORT/USER) and create their own databases (vardnav_bench, vardnav_bench_bookings). See docs/benchmarks.md.
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.bookings $(BENCH_BOOKINGS_ARGS)

chaos: install
	$(PY) -m bench.chaos $(CHAOS_ARGS)
	$(PY) -m bench.chaos_restart $(CHAOS_RESTART_ARGS)

# Only the restart scenarios, on a throwaway PostgreSQL of their own (never the machine's): docs/benchmarks.md.
chaos-restart: install
	$(PY) -m bench.chaos_restart $(CHAOS_RESTART_ARGS)

clean:
	rm -rf var $(VENV)
