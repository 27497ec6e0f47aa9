"""Builds are repeatable: a fresh warehouse built on the same data gives the same customers and
ids (ids are issued in a fixed order), a rebuild of the same input into the same warehouse gives
the same marts, and a second writer fails fast without harming the warehouse.

The fresh build is of the shared 3,000-person data (integration/conftest.py); the blocked and
the repeated builds then go into that fresh warehouse. Ids lasting across builds of changed
data: test_customer_ids.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from crm_quality.connect import connect
from python_checks.dbt_runner import DbtRun, run_dbt

pytestmark = pytest.mark.integration

MARTS = (
    "mart_defect_rate",
    "mart_customer_shortage",
    "fct_data_quality_issues",
    "fct_missing_customers",
    "customer_xref",
    "dim_customers",
    # Ids issued and retired: a rebuild of the same input issues and retires none.
    "customer_id_map",
)
XREF = "select record_key, customer_id from customer_xref"
CUSTOMERS = "select * from dim_customers order by customer_id"
# A blocked build must give up well before the holder lets go.
HOLD_SECONDS = 60


def snapshot(warehouse) -> dict[str, list[tuple]]:
    with connect(warehouse, restricted=True) as connection:
        return {
            mart: connection.execute(f"select * from {mart} order by all").fetchall()
            for mart in MARTS
        }


@dataclass
class Rebuilds:
    fresh: DbtRun
    fresh_marts: dict[str, list[tuple]]
    blocked: DbtRun
    blocked_seconds: float
    again: DbtRun


def build_while_held(run, work) -> tuple[DbtRun, float]:
    """A build of `work` while another process holds its warehouse open for writing, as a
    running build does; how long the build took to give up."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            f"print('locked', flush=True); time.sleep({HOLD_SECONDS})",
            str(work / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        blocked = run()
        return blocked, time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture(scope="module")
def rebuilds(warehouse, tmp_path_factory) -> Rebuilds:
    # The shared build wrote its data beside it.
    raw_dir = warehouse.warehouse.parent.parent / "raw"
    work = tmp_path_factory.mktemp("rebuilds")

    def build() -> DbtRun:
        # The data tests judge the data, run on it by the shared build: not what these compare.
        return run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], raw_dir, work)

    fresh = build()
    assert fresh.returncode == 0, fresh.output[-4000:]
    fresh_marts = snapshot(fresh.warehouse)
    blocked, blocked_seconds = build_while_held(build, work)
    again = build()
    return Rebuilds(fresh, fresh_marts, blocked, blocked_seconds, again)


def test_two_fresh_builds_on_the_same_data_give_identical_customer_ids(warehouse, rebuilds):
    assert dict(rebuilds.fresh.query(XREF)) == dict(warehouse.query(XREF))
    assert rebuilds.fresh.query(CUSTOMERS) == warehouse.query(CUSTOMERS)


def test_a_second_concurrent_build_fails_fast(rebuilds):
    assert rebuilds.blocked.returncode != 0
    assert "lock" in rebuilds.blocked.output.lower()
    assert rebuilds.blocked_seconds < HOLD_SECONDS


def test_rebuilding_the_same_input_gives_identical_marts(rebuilds):
    """The rebuild comes after the blocked build: that build left the warehouse whole."""
    assert rebuilds.again.returncode == 0, rebuilds.again.output[-4000:]
    assert snapshot(rebuilds.again.warehouse) == rebuilds.fresh_marts
    assert all(rebuilds.fresh_marts[mart] for mart in MARTS)
    # customer_id_map rows: issued_customer_id, customer_id, is_current, issued_at, retired_at.
    assert all(row[2] for row in rebuilds.fresh_marts["customer_id_map"]), (
        "a first build retires nothing"
    )
