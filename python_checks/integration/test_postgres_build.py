"""The same raw data built on DuckDB and on PostgreSQL (fixture cross_engine_builds) gives the
same marts, every dbt test and unit test passes on both, and the headline and the report read
alike from either. A second PostgreSQL build, published while BI reads:
test_bi_reads_during_postgres_build.py.

Rows are compared whole, in sorted order; numbers within cross_engine.FLOAT_TOLERANCE. Columns
naming the build itself (its id, its clock, the database) differ by nature and are left out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd

from crm_quality.ingest.raw_tables import ROLE_TABLES as RAW_TABLES
from python_checks import cross_engine
from python_checks.dbt_runner import REPO_ROOT, DbtRun

RESTRICTED_SCHEMA = "main_restricted"


def test_postgres_build_passes_every_test(cross_engine_builds) -> None:
    build = cross_engine_builds["postgres"]
    assert build.returncode == 0, (build.stdout + build.stderr)[-4000:]
    statuses = cross_engine.node_statuses(cross_engine_builds["root"] / "postgres-1")
    failing = {node: status for node, status in statuses.items()
               if status not in ("success", "pass", "warn", "no-op")}  # fmt: skip
    assert failing == {}
    assert any(node.startswith("unit_test.") for node in statuses)
    assert sum(node.startswith("test.") for node in statuses) > 50


def test_every_mart_is_identical_on_both_engines(cross_engine_builds) -> None:
    duck: DbtRun = cross_engine_builds["duckdb"]
    assert {"mart_defect_rate", "dim_customers", "mart_data_quality_history"} <= {
        table for _, table in cross_engine.compared_tables(duck)
    }
    differences = cross_engine.differing_tables(
        duck, cross_engine_builds["env"], cross_engine_builds["root"] / "postgres-1"
    )
    assert differences == {}


def test_postgres_trains_the_same_model_through_the_training_step(cross_engine_builds) -> None:
    """int_matching_models is no copied table: the PostgreSQL build's training step trained it
    on PostgreSQL's records, and it is the model the DuckDB build trained."""
    assert "matching: trained model" in cross_engine_builds["postgres"].stdout
    registry = (
        "select model_id, training_record_count, training_reason, model_json"
        f" from {RESTRICTED_SCHEMA}.int_matching_models"
    )
    with cross_engine.connect_postgres(cross_engine_builds["env"]) as postgres:
        trained_on_postgres = postgres.execute(registry).fetchall()
    assert trained_on_postgres == cross_engine_builds["duckdb"].query(registry)
    assert len(trained_on_postgres) == 1


def test_headline_and_report_read_the_postgresql_warehouse(cross_engine_builds, tmp_path):
    environment = {**os.environ, **cross_engine_builds["env"]}

    def run(module: str, *arguments: str, env: dict | None = None) -> str:
        return subprocess.run(
            [sys.executable, "-m", f"crm_quality.{module}", *arguments],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    duck: DbtRun = cross_engine_builds["duckdb"]
    on_postgres = run("headline", "--target", "postgres", env=environment)
    assert on_postgres == run("headline", "--warehouse", str(duck.warehouse))
    shortage = duck.scalar(
        "select shortage_rate_pct from mart_customer_shortage where breakdown = 'overall'"
    )
    assert f"{shortage:.2f} %" in on_postgres
    out = tmp_path / "report.html"
    run("report", "--target", "postgres", "--out", str(out), env=environment)
    assert f"{shortage:.2f} %" in out.read_text(encoding="utf-8")


def test_merge_export_reads_the_postgresql_warehouse(cross_engine_builds, tmp_path):
    """`make merge-export TARGET=postgres` writes the files DuckDB's warehouse gives."""
    environment = {**os.environ, **cross_engine_builds["env"]}
    duck: DbtRun = cross_engine_builds["duckdb"]
    written = {}
    for engine, arguments, env in (
        ("postgres", ["--target", "postgres"], environment),
        ("duckdb", ["--warehouse", str(duck.warehouse)], None),
    ):
        out = tmp_path / engine
        subprocess.run(
            [sys.executable, "-m", "crm_quality.merge_export", *arguments, "--out", str(out)],
            cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        written[engine] = (out / "merge_suggestions.csv").read_text(encoding="utf-8")
    assert written["postgres"] == written["duckdb"]
    assert (
        len(written["postgres"].splitlines()) - 1
        == duck.scalar("select count(*) from fct_merge_suggestions")
        > 0
    )


def test_every_model_is_sql(cross_engine_builds) -> None:
    """dbt-postgres runs no Python models: the PostgreSQL build is the whole project."""
    manifest = json.loads(
        (cross_engine_builds["root"] / "postgres-1" / "target" / "manifest.json").read_text()
    )
    python = [
        node["name"] for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["language"] != "sql"
    ]  # fmt: skip
    assert python == []


def test_every_table_the_build_writes_has_planner_statistics(cross_engine_builds) -> None:
    """Analyzed as soon as written (analyze_table, and the raw loader): planned on none, the
    first build at 200,000 people spent 928 s in a model that takes 58 s with them."""
    manifest = json.loads(
        (cross_engine_builds["root"] / "postgres-1" / "target" / "manifest.json").read_text()
    )
    written = {
        node["alias"] for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["config"]["materialized"] in ("table", "incremental", "seed")
    } | set(RAW_TABLES.values())  # fmt: skip
    with cross_engine.connect_postgres(cross_engine_builds["env"]) as postgres:
        analyzed = {
            name: last is not None
            for name, last in postgres.execute(
                # Not last_autoanalyze: autovacuum may come round before this test does.
                "select relname, last_analyze from pg_stat_user_tables"
                " where schemaname in ('main', 'main_restricted', 'main_audit')"
            ).fetchall()
        }
    assert written <= set(analyzed)
    assert sorted(name for name in written if not analyzed[name]) == []


def test_review_sample_reads_the_postgresql_warehouse_alike(cross_engine_builds, tmp_path):
    """make review-sample TARGET=postgres draws the same pairs, with the same records."""
    environment = {**os.environ, **cross_engine_builds["env"]}
    duck: DbtRun = cross_engine_builds["duckdb"]
    files = {}
    for engine, arguments in (
        ("postgres", ["--target", "postgres"]),
        ("duckdb", ["--warehouse", str(duck.warehouse)]),
    ):
        files[engine] = tmp_path / f"{engine}.csv"
        subprocess.run(
            [sys.executable, "-m", "crm_quality.review", "sample", *arguments,
             "--out", str(files[engine])],
            cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=True,
        )  # fmt: skip
    on_postgres, on_duckdb = (
        pd.read_csv(files[engine], dtype=str, keep_default_na=False)
        for engine in ("postgres", "duckdb")
    )
    assert len(on_duckdb) > 0
    numbers = [name for name in on_duckdb.columns if name.endswith(("_weight", "probability"))]
    text = [name for name in on_duckdb.columns if name not in numbers]
    pd.testing.assert_frame_equal(on_postgres[text], on_duckdb[text])
    pd.testing.assert_frame_equal(
        on_postgres[numbers].astype(float), on_duckdb[numbers].astype(float), rtol=1e-9
    )
