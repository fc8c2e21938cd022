# Council Plan performance tracker. `make` alone lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo runs on SQLite unless DATABASE_URL says otherwise; DEBUG/DEMO only for `make run`.
RUN_ENV := DEBUG=1 DEMO=1

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11 and try again.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

.PHONY: install
install: $(BIN)/.installed ## Create .venv and install the locked dependencies

.PHONY: run
run: install ## Set up SQLite with the plan and demo data, serve on 127.0.0.1:8000 (PORT=… overrides)
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py load_plan
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving the Council Plan tracker on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

.PHONY: lint
lint: install ## ruff, mypy and the layer contract (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

.PHONY: test
test: lint ## Run the whole test suite (on DATABASE_URL if set, else SQLite)
	$(BIN)/python -m pytest -q

.PHONY: audit
audit: install ## pip-audit the locked dependencies (fails on a known vulnerability)
	@$(BIN)/pip-audit -r requirements.lock --progress-spinner off --no-deps --disable-pip > .audit.log 2>&1; status=$$?; \
	cat .audit.log | grep -v "could not be audited" | grep -v "^-*$$" ; \
	unaudited=$$(grep -c "could not be audited" .audit.log); \
	if [ "$$unaudited" -gt 0 ]; then echo "pip-audit: $$unaudited of $$(grep -c '==' requirements.lock) packages could not be checked: this machine cannot reach the vulnerability data (see SECURITY.md)"; fi; \
	rm -f .audit.log; exit $$status

.PHONY: bench
bench: install ## Benchmark pages, reports and uploads at 1x, 10x and 100x a council (SIZES=1,10 for fewer)
	$(BIN)/python -m bench.run $(if $(SIZES),--sizes $(SIZES),)

.PHONY: worker
worker: install ## Run a Celery worker (needs REDIS_URL); run as many as you like, on any machine
	@test -n "$$REDIS_URL" || { echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker"; exit 2; }
	$(BIN)/celery -A stockport_plan worker --loglevel=INFO

.PHONY: beat
beat: install ## Run the one scheduler (Celery beat) that sends the daily and sweeping jobs (needs REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "make beat needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make beat"; exit 2; }
	$(BIN)/celery -A stockport_plan beat --loglevel=INFO --schedule=$(CURDIR)/celerybeat-schedule

.PHONY: azurite
azurite: ## Install Azurite, the Azure Storage emulator the storage tests use (needs Node and npm)
	cd .ci/azurite && npm ci --no-audit --no-fund --loglevel=error

.PHONY: lock
lock: ## Re-resolve pyproject.toml's ranges into requirements.lock (needs the package index)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet $$($(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print(" ".join(repr(d) for d in p["dependencies"] + p["optional-dependencies"]["dev"]))')
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -viE '^(pip|setuptools|wheel)==' > requirements.lock
	rm -rf .lock-venv

.PHONY: frontend
frontend: ## Rebuild the vendored GOV.UK Frontend in static/govuk (needs Node and npm)
	frontend/build.sh

.PHONY: clean
clean: ## Remove the virtual environment and caches (keeps the database)
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis staticfiles
