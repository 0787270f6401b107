# Caigou: `make run` serves the demo, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.DEFAULT_GOAL := run
.PHONY: run test lint format bench bench-load faults fuzz check-python clean

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

run: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py migrate --noinput --database sandbox
	$(BIN)/python manage.py sandbox_seed
	$(BIN)/python manage.py seed_demo --history 300
	@echo ""
	@echo "Caigou is at http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	@echo ""
	$(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The fault-injection suite starts and kills its own processes: it runs in a pytest of its own,
# so nothing it leaves behind in the process can reach the other tests.
test: lint
	$(BIN)/python -m pytest --ignore=tests/faults $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/faults $(PYTEST_ARGS)

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
faults: $(VENV)/.dev-deps
	CI=true CAIGOU_FAULTS=$${CAIGOU_FAULTS:-2000} $(BIN)/python -m pytest -s -p no:cacheprovider tests/faults/test_faults.py

clean:
	rm -rf $(VENV) var/static var/screenshots .pytest_cache .ruff_cache
