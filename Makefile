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
# The date `make build` judges "future" and "stale" against: AS_OF when set, the demo's date on
# the shipped demo data, otherwise today (as_of_date null).
AS_OF ?=
BUILD_AS_OF = $(or $(AS_OF),$(if $(filter $(abspath data/demo),$(abspath $(CRM_RAW_DIR))),$(DEMO_AS_OF)))
# More vars for `make build`, as YAML mapping entries: VARS='monitor_shortage_rate_pct: {warn: 5, error: 10}'
VARS ?=
comma := ,
# VARS as written: unexpanded, so a $ in a value stays.
BUILD_VARS = {as_of_date: $(if $(BUILD_AS_OF),"$(BUILD_AS_OF)",null)$(if $(value VARS),$(comma) $(value VARS))}
# $(1) as one shell word, whatever it holds: in single quotes, each ' in it written '\''.
shell_word = '$(subst ','\'',$(1))'
DEMO_PEOPLE := 3000
DEMO_SEED := 42
TEST_DIR := target/test-data
# The warehouse engine: duckdb (an embedded file, the default) or postgres (profiles.yml).
TARGET ?= duckdb
export CRM_DBT_TARGET := $(TARGET)
TARGET_DIR = $(or $(DBT_TARGET_PATH),target)
# The self-contained HTML data-quality report `make build` writes.
REPORT := reports/data_quality_report.html

.PHONY: setup build test lint dbt-test pytest demo-data clean declare

setup: $(STAMP)

# pip byte-compiles what it installs one file at a time: 32 of its 48 s here. compileall does it
# on every core, leaving out the packages' own test suites, which nothing imports (16 s).
$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-compile -r requirements.txt
	$(PY) -m pip install --quiet --no-compile --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m compileall -q -j 0 -x '/tests?/' "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
	touch $(STAMP)

## build: set up, build the whole warehouse (the shipped demo data unless CRM_RAW_DIR says
## otherwise), print the headline figures and write the report.
# crm_quality/build.py: a working copy beside CRM_DUCKDB_PATH (published in one rename when every
# model built, crm_quality/publish.py, so BI tools keep reading the previous build meanwhile),
# the raw tables loaded, dbt builds what matching training reads, the training step, then dbt
# builds the rest. The headline and the report are written even when a test fails (a failing
# monitor is news, and the figures are built); then make exits non-zero, naming each failing test.
# A warehouse the headline cannot read (a server down, nothing published yet) stops there, in
# one line: the report and the failing tests would read the same warehouse.
RUN_RESULTS = $(TARGET_DIR)/run_results.json
# One build (its phases and the training step):
# $(call run_build,RAW_DIR,WAREHOUSE,TARGET_PATH,VARS[,-- MORE DBT ARGS])
run_build = $(PY) -m crm_quality.build --raw-dir "$(1)" --warehouse "$(2)" --target $(TARGET) \
	--target-path "$(3)" --vars $(call shell_word,$(4)) $(5)
# The published warehouse the headline and the report read.
PUBLISHED = --target $(TARGET) $(if $(filter duckdb,$(TARGET)),--warehouse "$$CRM_DUCKDB_PATH")
build: setup
	@mkdir -p "$$(dirname "$$CRM_DUCKDB_PATH")"
	status=0; \
	$(call run_build,$$CRM_RAW_DIR,$$CRM_DUCKDB_PATH,$(TARGET_DIR),$(BUILD_VARS)) || status=$$?; \
	if [ $(TARGET) = postgres ] || [ -f "$$CRM_DUCKDB_PATH" ]; then \
		if $(PY) -m crm_quality.headline $(PUBLISHED); then \
			$(PY) -m crm_quality.report $(PUBLISHED) --out "$(REPORT)" || status=1; \
			if [ $$status -ne 0 ]; then \
				$(PY) -m crm_quality.headline $(PUBLISHED) --failing-tests "$(RUN_RESULTS)" >&2; \
			fi; \
		else status=1; fi; \
	fi; exit $$status

## declare: declare CRM_RAW_DIR's sources (sources.yml) to dbt, for its lineage and docs;
## `make build` does it before building.
declare: setup
	$(PY) -m crm_quality.ingest declare --raw-dir "$$CRM_RAW_DIR" --out "$(TARGET_DIR)/declared"

## reset-anomaly-baseline: accept one series' newest build as the start of its new anomaly
## baseline, leaving every other series alone (docs/monitoring.md), e.g.
##   make reset-anomaly-baseline METRIC=defect_rate_pct BREAKDOWN_VALUE=crm/all/completeness/missing/email
.PHONY: reset-anomaly-baseline
# The series and the reason reach the command through the environment, unexpanded, so any text
# (a quote in "didn't", a $) stays as written.
reset-anomaly-baseline: export CRM_RESET_METRIC = $(value METRIC)
reset-anomaly-baseline: export CRM_RESET_BREAKDOWN_VALUE = $(value BREAKDOWN_VALUE)
reset-anomaly-baseline: export CRM_RESET_BREAKDOWN = $(value BREAKDOWN)
reset-anomaly-baseline: export CRM_RESET_REASON = $(value REASON)
reset-anomaly-baseline: setup
	$(if $(and $(METRIC),$(BREAKDOWN_VALUE)),,$(error Give METRIC=… and BREAKDOWN_VALUE=… (BREAKDOWN=… and REASON=… optional)))
	$(PY) -m crm_quality.anomaly_reset --metric "$$CRM_RESET_METRIC" \
		--breakdown-value "$$CRM_RESET_BREAKDOWN_VALUE" --breakdown "$$CRM_RESET_BREAKDOWN" \
		--reason "$$CRM_RESET_REASON" --raw-dir "$$CRM_RAW_DIR" --target $(TARGET) \
		--warehouse "$$CRM_DUCKDB_PATH" --vars $(call shell_word,$(BUILD_VARS)) \
		--target-path "$(TARGET_DIR)"

## test: set up, lint, dbt build and tests on generated test data, then pytest.
# Lint and the dbt build are independent and each keeps one core busy: they run side by side
# (their output kept whole per target), then pytest takes both cores.
test: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target lint dbt-test
	$(MAKE) --no-print-directory pytest

# sqlfluff on two processes: its parse and layout rules take 2 CPU minutes on one core, which
# otherwise idled the other once make test's dbt-test ended (its first phase 96 s, not 130).
lint: setup
	$(VENV)/bin/ruff check crm_quality python_checks models benchmarks
	$(VENV)/bin/ruff format --check crm_quality python_checks models benchmarks
	@mkdir -p target
	CRM_DUCKDB_PATH=target/lint.duckdb $(VENV)/bin/sqlfluff lint models tests --processes 2

dbt-test: setup
	rm -rf $(TEST_DIR) && mkdir -p $(TEST_DIR)
	$(PY) -m crm_quality.demo --people 2000 --seed 7 --as-of $(DEMO_AS_OF) --out $(TEST_DIR)/raw
	$(call run_build,$(TEST_DIR)/raw,$(TEST_DIR)/warehouse.duckdb,$(TEST_DIR)/target,{as_of_date: "$(DEMO_AS_OF)"},--sql-tests)

# Three workers on two cores, each taking whole work units in the order python_checks/conftest.py
# gives: a test file, or the files sharing one session-wide build (that build is made once). Two
# left an eighth of the cores idle (dbt's Python runs on one core at a time): 16 min 42 s
# against 17 min 54 s for pytest, the same CPU time.
# The slowest tests are listed at the end: the suite's time budget is spent there.
pytest: setup
	$(PY) -m pytest -q -n 3 --dist loadfile --no-loadscope-reorder --durations=25

## review-sample: write a sample of scored pairs for a data steward to label (docs/review.md)
## from the published warehouse: $(REVIEW_OUT), personal data, kept out of git. Pairs already
## labelled in CRM_LABELS are not asked again; the size is the var review_sample_size.
REVIEW_OUT ?= reviews/pairs_to_review.csv
.PHONY: review-sample
review-sample: setup
	$(PY) -m crm_quality.review sample $(PUBLISHED) --out "$(REVIEW_OUT)"

## merge-export: write the published warehouse's merge suggestions (fct_merge_suggestions) as
## files for the CRM into $(EXPORT_DIR)/: Salesforce, HubSpot and a generic CSV. Suggestions for a
## data steward to apply, never applied here (docs/merge_suggestions.md).
EXPORT_DIR ?= exports
.PHONY: merge-export
merge-export: setup
	$(PY) -m crm_quality.merge_export $(PUBLISHED) --out "$(EXPORT_DIR)"

## phone-metadata: regenerate the phone seeds (seeds/phone_*.csv) from the pinned phonenumbers'
## metadata; run after upgrading phonenumbers and commit the seeds.
.PHONY: phone-metadata
phone-metadata: setup
	$(PY) -m crm_quality.standardize.phone_metadata --out seeds/

## demo-data: regenerate the shipped demo data (deterministic).
demo-data: setup
	rm -rf data/demo
	$(PY) -m crm_quality.demo --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --as-of $(DEMO_AS_OF) --out data/demo \
		--layout sources

clean:
	rm -rf target logs warehouse $(TEST_DIR)

## browser-deps: headless Chromium for the report's browser test (Debian; run as root).
.PHONY: browser-deps
browser-deps:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# --- Entity resolution (docs/entity_resolution.md) ---------------------------------------
ER_DIR := target/entity-resolution
ER_MODEL := crm_quality/matching/models/person_model.json
# Training data: generated (seeded), unless TRAIN_RAW_DIR names exports of your own.
TRAIN_PEOPLE := 20000
TRAIN_SEED := 11
TRAIN_RAW_DIR ?=
ACCURACY_PEOPLE := 20000
ACCURACY_SEED := 20261126
# About a million CRM contacts (998,810), with their billing accounts and orders.
BENCH_PEOPLE := 1060000
BENCH_SEED := 20261127
# e.g. `make bench BENCH_MEMORY_LIMIT=8GB BENCH_OUT=benchmarks/results_8gb` (default: the profile's cap)
BENCH_MEMORY_LIMIT ?=
BENCH_OUT ?= benchmarks/results_1m
# The warehouse engine the benchmark builds on: duckdb, or postgres (the PG* variables' server
# when PGHOST is set, else a throwaway cluster under the bench's work directory), e.g.
# `make bench BENCH_TARGET=postgres BENCH_PEOPLE=200000 BENCH_OUT=benchmarks/results_postgres_200k`
BENCH_TARGET ?= duckdb

.PHONY: train-model accuracy bench

## train-model: retrain the matching model ($(ER_MODEL)); deterministic for the same data.
## With CRM_LABELS=labels.csv (review labels of TRAIN_RAW_DIR's records) the labelled matches inform m.
train-model: setup
	rm -rf $(ER_DIR)/train && mkdir -p $(ER_DIR)/train
	$(if $(TRAIN_RAW_DIR),,$(PY) -m crm_quality.demo --people $(TRAIN_PEOPLE) --seed $(TRAIN_SEED) \
		--as-of $(DEMO_AS_OF) --out $(ER_DIR)/train/raw)
	$(call run_build,$(or $(TRAIN_RAW_DIR),$(ER_DIR)/train/raw),$(ER_DIR)/train/warehouse.duckdb,$(ER_DIR)/train/target,{as_of_date: "$(DEMO_AS_OF)"},--training-inputs-only --no-publish -- --exclude-resource-type test unit_test)
	$(PY) -m crm_quality.matching train --warehouse $(ER_DIR)/train/warehouse.duckdb --out $(ER_MODEL) \
		$(if $(CRM_LABELS),--labels "$(CRM_LABELS)")

## accuracy: generated people and FEBRL (1, 2 tested; 3, 4 held out): P/R/F1, shortage, duplicates -> benchmarks/accuracy.md
# FEBRL has no e-mail or phone by design: the monitors that judge a CRM's completeness and its
# shortage are not what these builds measure.
FEBRL_RUNS := 1-dedup 1-link 2-dedup 2-link 3-dedup 3-link 4-dedup 4-link
FEBRL_NOT_MEASURED := --exclude test_name:null_rate_at_most test_name:shortage_rate_at_most \
	test_name:defect_rate_at_most
accuracy: setup
	rm -rf $(ER_DIR)/accuracy && mkdir -p $(ER_DIR)/accuracy
	$(PY) -m crm_quality.demo --people $(ACCURACY_PEOPLE) --seed $(ACCURACY_SEED) \
		--as-of $(DEMO_AS_OF) --out $(ER_DIR)/accuracy/generated/raw
	$(call run_build,$(ER_DIR)/accuracy/generated/raw,$(ER_DIR)/accuracy/generated/warehouse.duckdb,$(ER_DIR)/accuracy/generated/target,{as_of_date: "$(DEMO_AS_OF)"})
	$(PY) -m crm_quality.matching accuracy --warehouse $(ER_DIR)/accuracy/generated/warehouse.duckdb \
		--raw $(ER_DIR)/accuracy/generated/raw --out $(ER_DIR)/accuracy/generated/report
	for run in $(FEBRL_RUNS); do \
		dir=$(ER_DIR)/accuracy/febrl$$run; \
		$(PY) -m crm_quality.external febrl --dataset $${run%%-*} --layout $${run#*-} --out $$dir/raw >/dev/null && \
		$(call run_build,$$dir/raw,$$dir/warehouse.duckdb,$$dir/target,{as_of_date: "$(DEMO_AS_OF)"},-- \
			$(FEBRL_NOT_MEASURED)) >/dev/null && \
		$(PY) -m crm_quality.matching accuracy --warehouse $$dir/warehouse.duckdb --raw $$dir/raw \
			--out $$dir/report >/dev/null || exit 1; \
	done
	$(PY) -m crm_quality.matching summary --out benchmarks/accuracy \
		generated=$(ER_DIR)/accuracy/generated/report.json \
		$(foreach run,$(FEBRL_RUNS),febrl$(run)=$(ER_DIR)/accuracy/febrl$(run)/report.json)

## bench: two full builds on ~1M CRM contacts (train, then reuse) and Splink alone on the same records -> benchmarks/results.md
bench: setup
	$(PY) benchmarks/run_benchmark.py --people $(BENCH_PEOPLE) --seed $(BENCH_SEED) \
		--work $(ER_DIR)/bench --out $(BENCH_OUT) --target $(BENCH_TARGET) \
		$(if $(BENCH_MEMORY_LIMIT),--memory-limit $(BENCH_MEMORY_LIMIT))
