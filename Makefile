# Caigou: `make run` serves the demo, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# Purchase orders the demo's history holds, made once on the first run through the real
# services (most of a fresh clone's first start): DEMO_HISTORY=300 make run for more.
DEMO_HISTORY ?= 120

.DEFAULT_GOAL := run
# Not the staff's interface: the simulated upstream, the tests and the benchmarks stay English.
I18N_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=upstream/sandbox \
	--ignore=templates/sandbox --ignore=docs
.PHONY: messages run test test-documented lint format bench bench-load faults fuzz check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Caigou needs Python 3.11 or newer: run make with PYTHON=python3.11 (or newer).")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.run-deps

# The demo: the logins and the storefront's API key (kept from run to run) are printed last,
# once the server listens. Ctrl-C stops it; the trap keeps make from reporting it as an error.
run: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py migrate --noinput --database sandbox
	$(BIN)/python manage.py sandbox_seed
	$(BIN)/python manage.py seed_demo --history $(DEMO_HISTORY) --no-summary
	@trap 'exit 0' INT; $(BIN)/python manage.py serve_demo --noreload 127.0.0.1:$(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The tests whose money guarantees must also hold against the upstream as its pages document it
# (SANDBOX_PROFILE=documented, upstream/sandbox/profile.py): orders and payments, after-sales,
# bookings, and the sandbox's own specification of that profile.
DOCUMENTED_TESTS ?= tests/orders tests/aftersales tests/logistics tests/sandbox
# The size of the documented profile's short fault run (CAIGOU_FAULTS, tests/faults).
DOCUMENTED_FAULTS ?= 200

# Both sandbox profiles: the whole suite and the short fault run under `rich` (our contract),
# then the documented pass. The fault-injection suite starts and kills its own processes: it
# runs in a pytest of its own, so nothing it leaves behind in the process can reach the others.
test: lint
	$(BIN)/python -m pytest --ignore=tests/faults $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/faults $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-documented

# Only the documented pass: DOCUMENTED_TESTS and the short fault run against the upstream as its
# pages document it. PYTEST_ARGS narrows it.
test-documented: $(VENV)/.dev-deps
	SANDBOX_PROFILE=documented $(BIN)/python -m pytest $(DOCUMENTED_TESTS) $(PYTEST_ARGS)
	SANDBOX_PROFILE=documented CAIGOU_FAULTS=$(DOCUMENTED_FAULTS) $(BIN)/python -m pytest tests/faults/test_faults.py $(PYTEST_ARGS)

bench: $(VENV)/.dev-deps
	$(BIN)/python bench/upstream_client.py

# The load benchmarks need PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and wrk.
bench-load: $(VENV)/.dev-deps
	$(BIN)/python bench/callbacks.py
	$(BIN)/python bench/order_lists.py
	$(BIN)/python bench/orders_throughput.py

# The storefront API fuzzed from its OpenAPI schema (CI runs a short version in `make test`).
fuzz: $(VENV)/.dev-deps
	CAIGOU_FUZZ_EXAMPLES=$${CAIGOU_FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/storefront/test_api_schemathesis.py

# The long fault-injection run (CI runs 200 faults inside `make test`); PostgreSQL and Redis.
# SANDBOX_PROFILE=documented make faults runs it against the upstream as documented.
faults: $(VENV)/.dev-deps
	CI=true CAIGOU_FAULTS=$${CAIGOU_FAULTS:-2000} $(BIN)/python -m pytest -s -p no:cacheprovider tests/faults/test_faults.py

# The Chinese catalogue (locale/zh_Hans): gather every marked string, then compile it. Needs
# GNU gettext (Debian: gettext); the compiled .mo is committed, so `make run` does not.
messages: $(VENV)/.dev-deps
	$(BIN)/python manage.py makemessages -l zh_Hans --add-location=file --no-obsolete $(I18N_IGNORE)
	$(BIN)/python manage.py makemessages -l zh_Hans -d djangojs --add-location=file --no-obsolete $(I18N_IGNORE)
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var/static var/screenshots .pytest_cache .ruff_cache
