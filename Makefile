# gk-directory — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
GK_ADMIN := $(BIN)/gk-admin
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint bench admin import package deploy deploy-arguments deploy-check openapi clean

# The first run builds .venv: pip's own progress shows, it takes a few minutes (100–330 s measured).
# All of it on stderr, so `make admin ARGS="export …" > file` holds the export even on a first run.
$(STAMP): requirements.txt requirements-dev.txt
	@if [ -x $(BIN)/python ]; then echo "requirements changed: updating the Python packages in .venv" >&2; \
	else echo "installing Python packages into .venv, first run only — a few minutes" >&2; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt >&2
	@rm -f $(VENV)/.installed-* && touch $@

# This project itself, editable and without dependencies (requirements*.txt pin those): it
# provides the console script .venv/bin/gk-admin (pyproject.toml, [project.scripts]).
$(GK_ADMIN): pyproject.toml $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . >&2
	@touch $@

# dynalite (second DynamoDB emulator), axe-core (accessibility checks) and ical.js (reads
# our cards as Thunderbird does) for the tests; skipped without npm, and CI (REQUIRE_*=1)
# then fails instead of skipping.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && rm -f node_modules/.installed-* && touch $@; \
	else echo "npm not found: dynalite, axe-core and ical.js tests will be skipped"; fi

## Start the API on 127.0.0.1:$(PORT, default 8000) over an in-memory DynamoDB (moto) loaded
## with data/. RELOAD=1 restarts the server when code under chalicelib/ changes.
## A port already in use (another `make run`?) is said in one line, exit status 1.
run: $(GK_ADMIN)
	@$(BIN)/python -m devtools.run_local $(if $(RELOAD),--reload)

## Lint, type-check and run every test (unit, emulator integration, browser).
test: lint $(GK_ADMIN) $(NODE_STAMP)
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

## The admins' command line (docs/admin.md): make admin ARGS="tokens list", the same as
## .venv/bin/gk-admin tokens list. No echo of the command (@), so `make admin ARGS="export
## --format csv" > directory.csv` holds the export only. On a failure make exits 2 whatever
## gk-admin said (make's own rule); gk-admin itself exits 1 for refused input, 2 for usage.
admin: $(GK_ADMIN)
	@$(GK_ADMIN) $(ARGS)

## Import a directory file (.json, .csv, .xlsx): make import FILE=… [IMPORT_FLAGS="--dry-run …"].
import: $(GK_ADMIN)
	@$(GK_ADMIN) import $(FILE) $(IMPORT_FLAGS)

## Build the Lambda deployment package and ONE SAM template for a stage (no AWS access
## needed): chalice package, the merge template generated from it (infra/), and
## chalice package --merge-template build/merge-STAGE.json build/package.
package: $(STAMP)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-eu-central-1} $(BIN)/python -m infra.package --stage $(or $(STAGE),prod) build/package

## Deploy a stage to AWS (docs/deploy.md): make deploy STAGE=prod BUCKET=<artifact-bucket>
## [REGION=eu-central-1] [ALARM_TOPIC=<sns-topic-arn>]. Builds the package, then runs exactly
## the `aws cloudformation package` and `deploy` commands the deploy guide shows.
REGION ?= eu-central-1
deploy: deploy-arguments package
	aws cloudformation package --region $(REGION) --template-file build/package/sam.json --s3-bucket $(BUCKET) --output-template-file build/package/packaged.json
	aws cloudformation deploy --region $(REGION) --template-file build/package/packaged.json --stack-name gk-directory-$(STAGE) --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset$(if $(ALARM_TOPIC), --parameter-overrides AlarmTopicArn=$(ALARM_TOPIC))
	aws cloudformation describe-stacks --region $(REGION) --stack-name gk-directory-$(STAGE) --query 'Stacks[0].Outputs'

deploy-arguments:
	@test -n "$(STAGE)" -a -n "$(BUCKET)" || { echo "usage: make deploy STAGE=prod|dev \
	BUCKET=<artifact-bucket> [REGION=…] [ALARM_TOPIC=<sns-topic-arn>]" >&2; exit 2; }

## Check a stage's template offline: cfn-lint, and the table created by moto's CloudFormation.
deploy-check: package
	$(BIN)/cfn-lint build/package/sam.json
	$(BIN)/pytest -q tests/package/test_table_on_cloudformation.py

clean:
	rm -rf $(VENV) node_modules build test-artifacts .pytest_cache .mypy_cache .ruff_cache
