"""make bench on PostgreSQL reads what the builds made there: the model state after each build,
and Splink alone's input, the same as from a DuckDB warehouse holding the same rows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import psycopg
import pytest

from python_checks.benchmark_scripts import load_benchmark_script

# The tables model_state reads, in the schema the build puts each (restricted: personal data).
TABLES = (
    ("", "mart_matching_model", "model_id text, trained_at timestamp, training_reason text,"
     " training_record_count integer",
     [("m1", datetime(2026, 6, 30, 12, 0), "no model trained on this warehouse yet", 4)]),
    ("_restricted", "int_matching_models", "model_id text", [("m0",), ("m1",)]),
    ("_restricted", "int_record_pairs_scored", "record_key_l text", [("a",), ("b",), ("c",)]),
    ("_restricted", "int_person_records_clustered", "record_key text, cluster_id text",
     [("a", "x"), ("b", "x"), ("c", "y"), ("d", "z")]),
    ("", "fct_matching_blocking_keys", "purpose text, is_used boolean, record_pairs bigint",
     [("prediction", True, 10), ("prediction", True, 5), ("prediction", False, 99),
      ("training", True, 7)]),
)  # fmt: skip

# int_person_records_standardized's columns that the matching features read.
RECORDS_COLUMNS = (
    "record_key text, source_system text, first_name_key text, last_name_key text, email text,"
    " phone_key text, street_address text, postal_code text, city text, birth_date date"
)
RECORDS = [
    ("crm:1", "crm", "anna", "smith", "a@x.org", "+441", "1 Main St, Flat 2", "ab1 2cd", "Leeds",
     date(1980, 5, 17)),
    ("crm:2", "crm", "anna", "smith", None, "+441", "1 main st", "AB12CD", "LEEDS", None),
    ("billing:9", "billing", "bob", "jones", "a@x.org", None, None, None, None,
     date(1975, 12, 1)),
]  # fmt: skip


def _filled_on_both(pg, schema: str, tmp_path: Path) -> Path:
    """The same rows in `schema` on PostgreSQL and in a DuckDB warehouse file (its path)."""
    _fill(pg.execute, schema, lambda row: ", ".join(["%s"] * len(row)))
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        _fill(connection.execute, "main", lambda row: ", ".join(["?"] * len(row)))
    return path


@pytest.fixture
def pg(postgres_env, monkeypatch):
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    with psycopg.connect(autocommit=True) as connection:
        yield connection


def _fill(execute, schema: str, rows_sql) -> None:
    for suffix in ("", "_restricted"):
        execute(f'create schema if not exists "{schema}{suffix}"')
    for suffix, table, columns, rows in TABLES:
        execute(f'create table "{schema}{suffix}".{table} ({columns})')
        for row in rows:
            execute(f'insert into "{schema}{suffix}".{table} values ({rows_sql(row)})', row)
    execute(f'create table "{schema}_restricted".int_person_records_standardized'
            f" ({RECORDS_COLUMNS})")  # fmt: skip
    for row in RECORDS:
        execute(
            f'insert into "{schema}_restricted".int_person_records_standardized'
            f" values ({rows_sql(row)})",
            row,
        )


def test_model_state_reads_the_same_figures_from_either_engine(pg, tmp_path):
    bench = load_benchmark_script("run_benchmark")
    path = _filled_on_both(pg, "bench_a", tmp_path)

    on_postgres = bench.model_state(bench.Warehouse("postgres", path, "bench_a"))
    on_duckdb = bench.model_state(bench.Warehouse("duckdb", path))
    assert (
        on_postgres
        == on_duckdb
        == {
            "model_id": "m1",
            "trained_at": "2026-06-30T12:00:00",
            "training_reason": "no model trained on this warehouse yet",
            "training_record_count": 4,
            "registry_rows": 2,
            "pairs": 3,
            "clusters": 3,
            "blocking_keys": 2,
            "blocking_key_pairs": 15,
        }
    )
    missing = bench.model_state(bench.Warehouse("postgres", path, "not_built"))
    assert "mart_matching_model" in missing["error"]


def test_a_fresh_build_drops_only_the_benchmarks_schemas(pg):
    bench = load_benchmark_script("run_benchmark")
    for schema in ("bench_b", "bench_b_restricted", "bench_b_audit", "bench_bb", "main_kept"):
        pg.execute(f'create schema "{schema}"')
    pg.execute('create table "bench_b_restricted".t (x int)')
    bench.drop_schemas("bench_b")
    left = {name for (name,) in pg.execute("select nspname from pg_namespace").fetchall()}
    assert not {"bench_b", "bench_b_restricted", "bench_b_audit"} & left
    assert {"bench_bb", "main_kept"} <= left


def test_splink_alone_reads_the_same_features_from_postgresql(pg, tmp_path):
    baseline = load_benchmark_script("splink_baseline")
    path = _filled_on_both(pg, "bench_c", tmp_path)

    from_postgres = baseline.read_features(baseline.PostgresRecords("bench_c"))
    from_duckdb = baseline.read_features(path)
    assert from_postgres.schema == from_duckdb.schema
    key = [("record_key", "ascending")]
    assert from_postgres.sort_by(key).to_pylist() == from_duckdb.sort_by(key).to_pylist()
    anna = next(row for row in from_postgres.to_pylist() if row["record_key"] == "crm:1")
    assert (anna["street_key"], anna["postal_key"], anna["birth_month_day"]) == (
        "1mainstflat2", "AB12CD", "05-17",
    )  # fmt: skip


def test_the_postmaster_is_asked_for_while_the_backend_lives(postgres_env, monkeypatch):
    """The server's memory is sampled from its postmaster, the parent of the bench's own
    backend in /proc: asked after the connection closed, the backend may be gone, and the
    bench then sampled no server memory at all."""
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    bench = load_benchmark_script("run_benchmark")
    opened, closed_when_asked = [], []
    connect, parent_pid = psycopg.connect, bench.parent_pid

    def recording_connect(*args, **kwargs):
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    def recording_parent_pid(pid: int) -> int | None:
        closed_when_asked.append(opened[-1].closed)
        return parent_pid(pid)

    monkeypatch.setattr(psycopg, "connect", recording_connect)
    monkeypatch.setattr(bench, "parent_pid", recording_parent_pid)
    state = bench.server_state()
    assert closed_when_asked == [False]
    assert state["postmaster_pid"] is not None
