"""Builds are repeatable: the same input gives the same marts, and a second writer fails fast."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from crm_quality.connect import connect
from python_checks.dbt_runner import REPO_ROOT, run_dbt

pytestmark = pytest.mark.integration

MARTS = (
    "mart_defect_rate",
    "mart_customer_shortage",
    "fct_data_quality_issues",
    "fct_missing_customers",
    "customer_xref",
    "dim_customers",
)


def snapshot(warehouse) -> dict[str, list[tuple]]:
    with connect(warehouse, restricted=True) as connection:
        return {
            mart: connection.execute(f"select * from {mart} order by all").fetchall()
            for mart in MARTS
        }


def test_rebuilding_the_same_input_gives_identical_marts(tmp_path):
    raw = REPO_ROOT / "data" / "demo"
    first = run_dbt(["build"], raw, tmp_path / "build")
    assert first.returncode == 0, first.output[-4000:]
    before = snapshot(first.warehouse)
    second = run_dbt(["build"], raw, tmp_path / "build")
    assert second.returncode == 0, second.output[-4000:]
    assert snapshot(second.warehouse) == before
    assert all(before[mart] for mart in MARTS)


def test_a_second_concurrent_build_fails_fast_and_the_first_completes(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "data" / "demo", raw)
    work = tmp_path / "build"
    work.mkdir()
    # Hold the warehouse open for writing, as a running build does.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(60)",
            str(work / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        blocked = run_dbt(["build"], raw, work)
        assert blocked.returncode != 0
        assert "lock" in blocked.output.lower()
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()
    after = run_dbt(["build"], raw, work)
    assert after.returncode == 0, after.output[-4000:]
