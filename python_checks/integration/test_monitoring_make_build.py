"""`make build` on a user's own exports: the as-of date it judges against, and a build whose
monitor fails still writing the headline and the report, then exiting non-zero with one line
per failing test."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from crm_quality.connect import connect
from python_checks.dbt_runner import REPO_ROOT, generate_demo

pytestmark = pytest.mark.integration

# A shortage error threshold no generated dataset stays under.
FAILING_SHORTAGE_VARS = "monitor_shortage_rate_pct: {warn: 0, error: 0.01}"


def make(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`make <arguments>` in the project, outside any make that runs the tests."""
    environment = {
        name: value
        for name, value in (env or os.environ).items()
        if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    return subprocess.run(
        ["make", *arguments], cwd=REPO_ROOT, env=environment, capture_output=True, text=True
    )


def dbt_build_vars(*arguments: str) -> str:
    """The --vars that `make build` would hand dbt through crm_quality.build (a dry run)."""
    dry_run = make("--dry-run", "build", *arguments)
    assert dry_run.returncode == 0, dry_run.stderr
    line = next(line for line in dry_run.stdout.splitlines() if "-m crm_quality.build" in line)
    words = shlex.split(line.removesuffix("\\"))  # as the shell reads the command
    return words[words.index("--vars") + 1]


def test_build_judges_demo_data_against_the_demo_date():
    assert dbt_build_vars() == '{as_of_date: "2026-06-30"}'
    assert dbt_build_vars(f"CRM_RAW_DIR={REPO_ROOT / 'data' / 'demo'}/") == (
        '{as_of_date: "2026-06-30"}'
    )


def test_build_judges_other_data_against_today_or_as_of(tmp_path):
    assert dbt_build_vars(f"CRM_RAW_DIR={tmp_path}") == "{as_of_date: null}"
    assert dbt_build_vars(f"CRM_RAW_DIR={tmp_path}", "AS_OF=2026-01-31") == (
        '{as_of_date: "2026-01-31"}'
    )
    assert dbt_build_vars("AS_OF=2026-01-31") == '{as_of_date: "2026-01-31"}'


def test_vars_reach_dbt_as_written():
    """A value with quotes, spaces and a $ (a model kept in a user's folder) is one argument."""
    given = "er_model_path: '/Users/me/CRM models/$HOME''s.json', x: \"$(Y)\""
    assert dbt_build_vars(f"VARS={given}") == '{as_of_date: "2026-06-30", ' + given + "}"


@pytest.fixture(scope="module")
def failing_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`make build` on 300 generated people with a shortage threshold the data breaks; every
    path has a space in it, as a user's folder may."""
    root = tmp_path_factory.mktemp("make build")
    generate_demo(root / "raw", people=300, seed=3)
    env = {
        **os.environ,
        "CRM_RAW_DIR": str(root / "raw"),
        "CRM_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
    }
    # The quality history of a warehouse built before rates were doubles.
    with connect(root / "warehouse.duckdb", read_only=False) as connection:
        connection.execute(
            """
            create table mart_data_quality_history (
                run_id varchar, run_started_at timestamp, as_of_date date, metric varchar,
                breakdown varchar, breakdown_value varchar, numerator bigint,
                denominator bigint, value decimal(9, 4)
            )
            """
        )
    completed = make(
        "build", f"REPORT={root / 'report.html'}", f"VARS={FAILING_SHORTAGE_VARS}", env=env
    )
    return completed, root


def test_failing_monitor_still_writes_headline_and_report(failing_build):
    completed, root = failing_build
    assert completed.returncode != 0, completed.stdout[-4000:]
    assert "Customer shortage" in completed.stdout
    report = root / "report.html"
    assert report.is_file() and report.stat().st_size > 10_000


def test_failing_monitor_is_named_with_its_value_and_threshold(failing_build):
    completed, root = failing_build
    with connect(root / "warehouse.duckdb") as connection:
        shortage = connection.execute(
            "select shortage_rate_pct from mart_customer_shortage where breakdown = 'overall'"
        ).fetchone()[0]
    measured = f"{float(shortage):.4f}".rstrip("0").rstrip(".")
    expected = (
        "FAILED monitor_customer_shortage_rate, shortage_rate_at_most(mart_customer_shortage): "
        f"{measured} % > error threshold 0.01 %"
    )
    failing_lines = [line for line in completed.stderr.splitlines() if line.startswith("FAILED")]
    assert failing_lines == [expected], completed.stderr[-4000:]


def test_user_data_is_judged_against_today(failing_build):
    _completed, root = failing_build
    with connect(root / "warehouse.duckdb") as connection:
        as_of = connection.execute(
            "select distinct as_of_date from mart_data_quality_history"
        ).fetchall()
    assert as_of in ([(date.today(),)], [(date.today() - timedelta(days=1),)])


def test_rates_are_doubles_also_in_an_older_warehouse(failing_build):
    _completed, root = failing_build
    with connect(root / "warehouse.duckdb") as connection:
        types = dict(
            connection.execute(
                """
                select table_name || '.' || column_name, data_type
                from information_schema.columns
                where table_name in ('mart_data_quality_history', 'mart_quality_anomalies')
                    and column_name in ('value', 'baseline_median', 'baseline_mad', 'spread',
                                        'allowed_departure', 'departure', 'robust_z')
                """
            ).fetchall()
        )
    assert len(types) == 8
    assert set(types.values()) == {"DOUBLE"}, types


def test_an_unreachable_postgres_stops_make_build_with_one_line_per_step(tmp_path):
    """The build's line, then the headline's; the report and the failing tests, which would
    read the same warehouse, are not tried."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    report = tmp_path / "report.html"
    completed = make(
        "build",
        "TARGET=postgres",
        f"REPORT={report}",
        f"TARGET_DIR={tmp_path / 'target'}",
        env={
            **os.environ,
            "PGHOST": "127.0.0.1",
            "PGPORT": str(closed_port),
            "CRM_PG_SCHEMA": "main",
        },
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, output
    assert errors[1].startswith("error: cannot read the warehouse (PostgreSQL, schema main): ")
    assert not report.exists()
