# crm-quality: the README's two commands are `make build` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := build

VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
STAMP := $(VENV)/.installed

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export CRM_RAW_DIR ?= data/demo
export CRM_DUCKDB_PATH ?= warehouse/crm_quality.duckdb

# The demo data is generated "as of" this date; builds on it judge staleness against it.
DEMO_AS_OF := 2026-06-30
DEMO_PEOPLE := 3000
DEMO_SEED := 42
TEST_DIR := target/test-data

.PHONY: setup build test lint dbt-test pytest demo-data clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## build: set up, build the whole warehouse on the shipped demo data, print the headline figures.
build: setup
	@mkdir -p $(dir $(CRM_DUCKDB_PATH))
	$(DBT) build --vars '{as_of_date: "$(DEMO_AS_OF)"}'
	$(PY) -m crm_quality.headline --warehouse $(CRM_DUCKDB_PATH)

## test: set up, lint, dbt build and tests on generated test data, then pytest.
test: setup lint dbt-test pytest

lint: setup
	$(VENV)/bin/ruff check crm_quality python_checks models
	$(VENV)/bin/ruff format --check crm_quality python_checks models
	@mkdir -p target
	CRM_DUCKDB_PATH=target/lint.duckdb $(VENV)/bin/sqlfluff lint models tests

dbt-test: setup
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(PY) -m crm_quality.demo --people 2000 --seed 7 --as-of $(DEMO_AS_OF) --out $(TEST_DIR)/raw
	CRM_RAW_DIR=$(TEST_DIR)/raw CRM_DUCKDB_PATH=$(TEST_DIR)/warehouse.duckdb \
		$(DBT) build --vars '{as_of_date: "$(DEMO_AS_OF)"}'

pytest: setup
	$(PY) -m pytest -q

## demo-data: regenerate the shipped demo data (deterministic).
demo-data: setup
	$(PY) -m crm_quality.demo --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --as-of $(DEMO_AS_OF) --out data/demo

clean:
	rm -rf target logs warehouse $(TEST_DIR)
