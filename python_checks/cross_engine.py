"""Build the same raw data on DuckDB and on PostgreSQL, and compare what the two builds hold.

dbt-postgres runs no Python models. Until every model is SQL, the PostgreSQL build takes the
tables of the models still in Python from the DuckDB build (PYTHON_MODELS) and builds the rest.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from collections.abc import Iterable, Mapping
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg

from crm_quality.ingest.raw_tables import load_into_postgres
from python_checks.dbt_runner import AS_OF_DATE, DBT, REPO_ROOT, dbt_environment

# The dbt models still in Python (DuckDB only): the one list to shrink as each becomes SQL.
PYTHON_MODELS = (
    "int_phones_rejudged",
    "int_matching_models",
    "int_person_records_clustered",
    "fct_matching_blocking_keys",
    "fct_matching_fields",
    "fct_matching_parameters",
    "mart_matching_model",
)
# Floating-point sums and averages may differ in their last bits between engines (summation
# order); numbers agree when within this relative (or, near zero, absolute) difference.
FLOAT_TOLERANCE = 1e-9

_POSTGRES_TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "TIMESTAMP_S": "timestamp"}


def _postgres_type(duckdb_type: str) -> str:
    return _POSTGRES_TYPES.get(duckdb_type, duckdb_type.lower())


def copy_python_models(warehouse: Path, environment: Mapping[str, str]) -> None:
    """Copy the PYTHON_MODELS' tables of a DuckDB build into the PostgreSQL of `environment`
    (its PG* variables), under the same schema and table names."""
    with (
        closing(duckdb.connect(str(warehouse), read_only=True)) as duck,
        psycopg.connect(**_connect_arguments(environment)) as postgres,
    ):
        for model in PYTHON_MODELS:
            columns = duck.execute(
                "select table_schema, column_name, data_type from information_schema.columns"
                " where table_name = ? order by ordinal_position",
                [model],
            ).fetchall()
            if not columns:
                raise LookupError(f"{model} is not in {warehouse}")
            schema = columns[0][0]
            relation = f'"{schema}"."{model}"'
            definitions = ", ".join(f'"{name}" {_postgres_type(kind)}' for _, name, kind in columns)
            names = ", ".join(f'"{name}"' for _, name, _ in columns)
            postgres.execute(f'create schema if not exists "{schema}"')
            postgres.execute(f"drop table if exists {relation} cascade")
            postgres.execute(f"create table {relation} ({definitions})")
            rows = duck.execute(f"select {names} from {relation}").fetchall()
            with postgres.cursor().copy(f"copy {relation} ({names}) from stdin") as copy:
                for row in rows:
                    copy.write_row(row)


def _connect_arguments(environment: Mapping[str, str]) -> dict[str, str]:
    return {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }


def connect_postgres(environment: Mapping[str, str]) -> psycopg.Connection:
    return psycopg.connect(**_connect_arguments(environment), autocommit=True)


def build_on_postgres(
    command: list[str],
    raw_dir: Path,
    duckdb_warehouse: Path,
    work_dir: Path,
    environment: Mapping[str, str],
    variables: dict | None = None,
) -> subprocess.CompletedProcess:
    """`dbt <command> --target postgres` on raw_dir, as `make build TARGET=postgres` would:
    the raw tables loaded first, the Python models' tables copied from `duckdb_warehouse` and
    left out of the build."""
    work_dir.mkdir(parents=True, exist_ok=True)
    dbt_env = {
        **dbt_environment(raw_dir, work_dir, work_dir / "unused.duckdb"),
        **environment,
        "CRM_DBT_TARGET": "postgres",
    }
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        load_into_postgres(raw_dir)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    copy_python_models(duckdb_warehouse, environment)
    return subprocess.run(
        [
            str(DBT),
            *command,
            "--target",
            "postgres",
            "--exclude",
            *PYTHON_MODELS,
            "--vars",
            json.dumps({"as_of_date": AS_OF_DATE, **(variables or {})}),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],  # fmt: skip
        cwd=REPO_ROOT,
        env=dbt_env,
        capture_output=True,
        text=True,
    )


def comparable(value: object) -> object:
    """A value as both engines' drivers can agree on it: numbers as floats, times as text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def sorted_rows(rows: Iterable[tuple]) -> list[tuple]:
    converted = [tuple(comparable(value) for value in row) for row in rows]
    return sorted(converted, key=lambda row: tuple(_sort_key(value) for value in row))


def _sort_key(value: object) -> tuple:
    if value is None:
        return (0, "")
    if isinstance(value, float):
        return (1, f"{value:.6g}")
    return (2, str(value))


def rows_differ(left: list[tuple], right: list[tuple]) -> list[tuple[tuple, tuple]]:
    """The pairs of sorted rows that differ beyond FLOAT_TOLERANCE (all, when counts differ)."""
    if len(left) != len(right):
        return [((len(left),), (len(right),))]
    return [(a, b) for a, b in zip(left, right, strict=True) if not _rows_equal(a, b)]


def _rows_equal(left: tuple, right: tuple) -> bool:
    if len(left) != len(right):
        return False
    for a, b in zip(left, right, strict=True):
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE):
                return False
        elif a != b:
            return False
    return True
