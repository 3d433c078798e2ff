# Cadence: `make run` serves the demo clinic, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format bench install migrate demo worker check clean

$(STAMP): pyproject.toml
	@echo "Installing Cadence and its pinned dependencies into $(VENV) (the first time takes a few minutes)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -m pip install --quiet -e '.[dev]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -c "import django, django_tasks_db, weasyprint, fhir.resources, pytest, playwright"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: demo
	@echo "Cadence is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@bash bin/serve $(PORT)

worker: migrate
	$(BIN)/python manage.py db_worker

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Lighthouse (pinned in bench/lighthouse/package-lock.json) needs Node and npm here only.
bench: install
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var/cadence.sqlite3* var/test_* var/audit-checkpoints.jsonl
