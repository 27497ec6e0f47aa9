"""Vars a user gets wrong stop the build before it runs, naming the var and what is wrong."""

from __future__ import annotations

import pytest

from python_checks.dbt_runner import REPO_ROOT, run_dbt

pytestmark = pytest.mark.integration

DEMO = REPO_ROOT / "data" / "demo"


def test_a_date_var_that_is_no_date_stops_the_build_naming_it(tmp_path):
    """A day February lacks: the form is right, the calendar is not."""
    run = run_dbt(["build"], DEMO, tmp_path / "build", {"as_of_date": "2026-02-30"})
    assert run.returncode != 0
    assert "The var as_of_date is '2026-02-30': give a date as YYYY-MM-DD" in run.output
    assert "START sql" not in run.output  # before any model


def test_a_monitor_var_missing_a_threshold_names_it(tmp_path):
    """--vars replaces a mapping whole: {warn: 5} alone leaves the error threshold out."""
    run = run_dbt(
        ["compile", "--select", "test_name:shortage_rate_at_most"],
        DEMO,
        tmp_path / "build",
        {"monitor_shortage_rate_pct": {"warn": 5}},
    )
    assert run.returncode != 0
    assert "Var monitor_shortage_rate_pct has no 'error' threshold" in run.output


# Each var given a value its contract (macros/inputs/var_contract.sql) refuses, with the line
# the build must print for it.
UNUSABLE = {
    "stale_after_days": (
        "two years",
        "The var stale_after_days is 'two years': give a whole number",
    ),
    "max_age_years": (12.5, "The var max_age_years is 12.5: give a whole number of at least 1"),
    "required_fields": (
        ["first_name", "emial"],
        "'emial' is no field it checks; give a list of fields from: first_name,",
    ),
    "er_match_threshold": (1.5, "The var er_match_threshold is 1.5: give a number from 0 to 1"),
    "er_retrain": ("maybe", "The var er_retrain is 'maybe': give true or false"),
    "anomaly_threshold": ("high", "The var anomaly_threshold is 'high': give a number"),
    "monitor_null_rate_pct": (
        {"warn": "five", "error": 10},
        "The var monitor_null_rate_pct is {'warn': 'five', 'error': 10}: warn is 'five'",
    ),
    "er_pair_min_match_probability": (
        0.2,
        "The var er_pair_min_match_probability (0.2) is above er_near_miss_min_probability (0.1)",
    ),
}


def test_vars_that_break_their_contract_stop_the_build_naming_each(tmp_path):
    """Before, each failed deep in the build (a parser or binder error naming no var) or, like
    er_match_threshold: 1.5, built figures that meant nothing."""
    variables = {name: value for name, (value, _) in UNUSABLE.items()}
    # Text that YAML reads as text but that is a number all the same.
    variables["er_min_fill_rate"] = "5e-2"
    run = run_dbt(["build"], DEMO, tmp_path / "build", variables)
    assert run.returncode != 0
    for name, (_, line) in UNUSABLE.items():
        assert line in run.output, name
    assert "er_min_fill_rate" not in run.output
    assert "START sql" not in run.output  # before any model


def test_a_var_dbt_reads_while_parsing_names_itself_too(tmp_path):
    """A test's severity is read when dbt parses, before the on-run-start check runs."""
    run = run_dbt(["parse"], DEMO, tmp_path / "build", {"anomaly_test_severity": "fatal"})
    assert run.returncode != 0
    assert "The var anomaly_test_severity is 'fatal': give one of: warn, error" in run.output
