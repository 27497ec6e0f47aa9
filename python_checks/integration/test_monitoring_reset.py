"""Resetting one anomaly series (`make reset-anomaly-baseline`) on a warehouse whose quality
history is written by hand: the reset series starts a new baseline at its newest build, every
other series and the history itself stay as they were."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crm_quality.connect import connect
from python_checks.dbt_runner import REPO_ROOT, dbt_process, generate_demo

pytestmark = pytest.mark.integration

# Eight steady builds, then a jump in the newest: anomalous in both series.
VALUES = [10.0] * 8 + [20.0]
SERIES = ("kept", "reset")
ANOMALIES_SQL = """
    select breakdown_value, run_id, status, baseline_builds, baseline_median, is_anomaly
    from mart_quality_anomalies
    order by breakdown_value, run_id
"""
HISTORY_SQL = "select * from mart_data_quality_history order by breakdown_value, run_id"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> tuple[Path, Path]:
    """A warehouse with two identical series judged once; returns (raw dir, work dir)."""
    root = tmp_path_factory.mktemp("reset")
    raw_dir, work_dir = root / "raw", root / "build"
    generate_demo(raw_dir, people=40, seed=5)
    work_dir.mkdir()
    start = datetime(2026, 1, 1)
    rows = [
        (f"run-{index:02d}", start + timedelta(days=index), name, round(value * 10), 1000, value)
        for name in SERIES
        for index, value in enumerate(VALUES)
    ]
    with connect(work_dir / "warehouse.duckdb", read_only=False) as connection:
        connection.execute(
            """
            create table mart_data_quality_history (
                run_id varchar, run_started_at timestamp, as_of_date date, metric varchar,
                breakdown varchar, breakdown_value varchar, numerator bigint,
                denominator bigint, value double
            )
            """
        )
        connection.executemany(
            "insert into mart_data_quality_history "
            "values (?, ?, null, 'synthetic', 'series', ?, ?, ?, ?)",
            rows,
        )
    # With the project's own vars, as `make reset-anomaly-baseline` judges afterwards.
    completed = dbt_process(
        ["run", "--select", "fct_anomaly_baseline_resets", "mart_quality_anomalies"],
        raw_dir,
        work_dir,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    return raw_dir, work_dir


def reset(raw_dir: Path, work_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    environment.update(
        CRM_RAW_DIR=str(raw_dir),
        CRM_DUCKDB_PATH=str(work_dir / "warehouse.duckdb"),
        DBT_TARGET_PATH=str(work_dir / "target"),
        DBT_LOG_PATH=str(work_dir / "logs"),
    )
    return subprocess.run(
        ["make", "reset-anomaly-baseline", "METRIC=synthetic", *arguments],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def query(work_dir: Path, sql: str) -> list[tuple]:
    with connect(work_dir / "warehouse.duckdb") as connection:
        return connection.execute(sql).fetchall()


def test_reset_of_one_series_leaves_the_others_alone(warehouse):
    raw_dir, work_dir = warehouse
    before = query(work_dir, ANOMALIES_SQL)
    history_before = query(work_dir, HISTORY_SQL)
    assert [row[2] for row in before if row[0] == "reset"][-1] == "anomaly"

    unknown = reset(raw_dir, work_dir, "BREAKDOWN_VALUE=no-such-series")
    assert unknown.returncode != 0
    assert "No series" in unknown.stdout + unknown.stderr
    assert query(work_dir, "select count(*) from fct_anomaly_baseline_resets") == [(0,)]

    completed = reset(raw_dir, work_dir, "BREAKDOWN_VALUE=reset", "REASON=clean-up accepted")
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    after = query(work_dir, ANOMALIES_SQL)

    assert query(work_dir, HISTORY_SQL) == history_before
    assert [row for row in after if row[0] == "kept"] == [row for row in before if row[0] == "kept"]
    reset_before = [row for row in before if row[0] == "reset"]
    reset_after = [row for row in after if row[0] == "reset"]
    # Earlier builds keep their judgement; the newest starts the new baseline.
    assert reset_after[:-1] == reset_before[:-1]
    assert reset_after[-1][2:] == ("insufficient_history", 0, None, False)
    assert query(
        work_dir,
        "select metric, breakdown, breakdown_value, baseline_starts_at, reason "
        "from fct_anomaly_baseline_resets",
    ) == [("synthetic", "series", "reset", datetime(2026, 1, 9), "clean-up accepted")]
