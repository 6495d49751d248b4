# gk-directory — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint bench admin import package openapi clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# dynalite (second DynamoDB emulator), axe-core (accessibility checks) and ical.js (reads
# our cards as Thunderbird does) for the tests; skipped without npm, and CI (REQUIRE_*=1)
# then fails instead of skipping.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && rm -f node_modules/.installed-* && touch $@; \
	else echo "npm not found: dynalite, axe-core and ical.js tests will be skipped"; fi

## Start the API on 127.0.0.1:$(PORT, default 8000) over an in-memory DynamoDB (moto) loaded
## with data/. RELOAD=1 restarts the server when code under chalicelib/ changes.
run: $(STAMP)
	$(BIN)/python -m devtools.run_local $(if $(RELOAD),--reload)

## Lint, type-check and run every test (unit, emulator integration, browser).
test: lint $(NODE_STAMP)
	$(BIN)/pytest

## ruff, mypy (strict) and the layer rules (import-linter, see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Regenerate chalicelib/assets/openapi.json (served as GET /openapi.json) from devtools/openapi/;
## a test fails while the committed file is out of date.
openapi: $(STAMP)
	$(BIN)/python -m devtools.openapi

## Benchmarks: ratios against a bare route measured in the same run → build/bench/results.json
## (make bench SAVE=1 also updates the committed bench/results.json).
bench: $(STAMP)
	$(BIN)/python -m bench.run $(if $(SAVE),--save)

## The admins' command line (README, "The admin command line"): make admin ARGS="tokens list".
admin: $(STAMP)
	$(BIN)/python -m admin $(ARGS)

## Import a directory file (.json, .csv, .xlsx): make import FILE=… [IMPORT_FLAGS="--dry-run …"].
import: $(STAMP)
	$(BIN)/python -m admin import $(FILE) $(IMPORT_FLAGS)

## Build the Lambda deployment package and ONE SAM template for a stage (no AWS access
## needed): chalice package, the merge template generated from it (infra/), and
## chalice package --merge-template build/merge-STAGE.json build/package.
package: $(STAMP)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-eu-central-1} $(BIN)/python -m infra.package --stage $(or $(STAGE),prod) build/package

clean:
	rm -rf $(VENV) node_modules build test-artifacts .pytest_cache .mypy_cache .ruff_cache
