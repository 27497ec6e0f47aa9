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
