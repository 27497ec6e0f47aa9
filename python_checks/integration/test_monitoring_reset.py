"""Resetting one anomaly series (`make reset-anomaly-baseline`) on a warehouse whose quality
history is written by hand, on DuckDB and on PostgreSQL (TARGET=postgres, in the live schema):
the reset series starts a new baseline at its newest build, every other series and the history
itself stay as they were."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crm_quality import dbt_in_process, publish
from crm_quality.connect import connect
from python_checks import cross_engine
from python_checks.dbt_runner import AS_OF_DATE, REPO_ROOT, dbt_environment, generate_demo

pytestmark = pytest.mark.integration

# Eight steady builds, then a jump in the newest: anomalous in both series.
VALUES = [10.0] * 8 + [20.0]
SERIES = ("kept", "reset")
HISTORY_COLUMNS = """
    run_id varchar, run_started_at timestamp, as_of_date date, metric varchar,
    breakdown varchar, breakdown_value varchar, numerator bigint, denominator bigint,
    value double precision
"""
ANOMALIES_SQL = """
    select breakdown_value, run_id, status, baseline_builds, baseline_median, is_anomaly
    from mart_quality_anomalies
    order by breakdown_value, run_id
"""
HISTORY_SQL = "select * from mart_data_quality_history order by breakdown_value, run_id"
# Kept as written: quotes and a dollar reach the warehouse through make and the shell.
REASON = "clean-up accepted, didn't wait for \"$HOME\"'s 3 builds"
# The live schema of the PostgreSQL warehouse, of its own on the test process's cluster.
PG_SCHEMA = "reset_check"


@dataclass
class Warehouse:
    """A warehouse with two identical series judged once, and how to reach it."""

    raw_dir: Path
    work_dir: Path
    environment: dict[str, str]
    query: Callable[[str], list[tuple]]
    target: str


def history_rows() -> list[tuple]:
    start = datetime(2026, 1, 1)
    return [
        (f"run-{index:02d}", start + timedelta(days=index), name, round(value * 10), 1000, value)
        for name in SERIES
        for index, value in enumerate(VALUES)
    ]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def warehouse(request, tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp(f"reset {request.param}")  # a space, as in a user's folder
    raw_dir, work_dir = root / "raw", root / "build"
    generate_demo(raw_dir, people=40, seed=5)
    work_dir.mkdir()
    # dbt runs as a build does, so that the reset's dbt starts from its saved parse: on the
    # working copy, published afterwards (crm_quality/publish.py), and with the declarations
    # in the target path.
    published = work_dir / "warehouse.duckdb"
    environment = dbt_environment(raw_dir, work_dir / "target", publish.working_path(published))
    environment["DBT_TARGET_PATH"] = str(work_dir / "target")
    environment["DBT_LOG_PATH"] = str(work_dir / "logs")
    insert = (
        f"insert into {'' if request.param == 'duckdb' else PG_SCHEMA + '.'}"
        "mart_data_quality_history values (%s, %s, null, 'synthetic', 'series', %s, %s, %s, %s)"
    )
    if request.param == "duckdb":
        with connect(publish.working_path(published), read_only=False) as connection:
            connection.execute(f"create table mart_data_quality_history ({HISTORY_COLUMNS})")
            connection.executemany(insert.replace("%s", "?"), history_rows())

        def query(sql: str) -> list[tuple]:
            with connect(published) as connection:
                return connection.execute(sql).fetchall()
    else:
        environment.update(request.getfixturevalue("postgres_env"), CRM_PG_SCHEMA=PG_SCHEMA)
        with cross_engine.connect_postgres(environment) as connection:
            connection.execute(f"create schema {PG_SCHEMA}")
            connection.execute(
                f"create table {PG_SCHEMA}.mart_data_quality_history ({HISTORY_COLUMNS})"
            )
            connection.cursor().executemany(insert, history_rows())

        def query(sql: str) -> list[tuple]:
            with cross_engine.connect_postgres(environment, f"-c search_path={PG_SCHEMA}") as pg:
                return pg.execute(sql).fetchall()

    # With the vars `make reset-anomaly-baseline` passes when it judges afterwards.
    judged = dbt_in_process.invoke(
        [
            "run", "--select", "fct_anomaly_baseline_resets", "mart_quality_anomalies",
            "--vars", json.dumps({"as_of_date": AS_OF_DATE}), "--target", request.param,
        ],
        environment,
    )  # fmt: skip
    assert judged.success, judged.output[-4000:]
    if request.param == "duckdb":
        assert publish.publish(published, work_dir / "target" / "run_results.json") == []
    return Warehouse(raw_dir, work_dir, environment, query, request.param)


def reset(warehouse: Warehouse, *arguments: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in warehouse.environment.items()
        if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    environment["CRM_DUCKDB_PATH"] = str(warehouse.work_dir / "warehouse.duckdb")  # published
    return subprocess.run(
        [
            "make", "reset-anomaly-baseline", f"TARGET={warehouse.target}",
            f"AS_OF={AS_OF_DATE}", "METRIC=synthetic", *arguments,
        ],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_reset_of_one_series_leaves_the_others_alone(warehouse):
    query = warehouse.query
    before = query(ANOMALIES_SQL)
    history_before = query(HISTORY_SQL)
    assert [row[2] for row in before if row[0] == "reset"][-1] == "anomaly"

    unknown = reset(warehouse, "BREAKDOWN_VALUE=no-such-series")
    assert unknown.returncode != 0
    assert "No series" in unknown.stdout + unknown.stderr
    assert query("select count(*) from fct_anomaly_baseline_resets") == [(0,)]

    completed = reset(warehouse, "BREAKDOWN_VALUE=reset", f"REASON={REASON}")
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    after = query(ANOMALIES_SQL)

    assert query(HISTORY_SQL) == history_before
    assert [row for row in after if row[0] == "kept"] == [row for row in before if row[0] == "kept"]
    reset_before = [row for row in before if row[0] == "reset"]
    reset_after = [row for row in after if row[0] == "reset"]
    # Earlier builds keep their judgement; the newest starts the new baseline.
    assert reset_after[:-1] == reset_before[:-1]
    assert reset_after[-1][2:] == ("insufficient_history", 0, None, False)
    assert query(
        "select metric, breakdown, breakdown_value, baseline_starts_at, reason "
        "from fct_anomaly_baseline_resets",
    ) == [("synthetic", "series", "reset", datetime(2026, 1, 9), REASON)]
