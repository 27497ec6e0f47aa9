"""Build the same raw data on DuckDB and on PostgreSQL, and compare what the two builds hold.

dbt-postgres runs no Python models. Until every model is SQL, the PostgreSQL build takes the
tables of the models still in Python from the DuckDB build (PYTHON_MODELS) and builds the rest,
as crm_quality.build.run_build builds (the matching training step included).
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Iterable, Mapping
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg

from crm_quality.build import run_build
from python_checks.dbt_runner import AS_OF_DATE, dbt_environment

# The dbt models still in Python (DuckDB only): the one list to shrink as each becomes SQL.
PYTHON_MODELS = (
    "int_person_records_standardized",
    "int_orders_standardized",
)
# Floating-point sums and averages may differ in their last bits between engines (summation
# order); numbers agree when within this relative (or, near zero, absolute) difference.
FLOAT_TOLERANCE = 1e-9

_POSTGRES_TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "TIMESTAMP_S": "timestamp"}


def _postgres_type(duckdb_type: str) -> str:
    return _POSTGRES_TYPES.get(duckdb_type, duckdb_type.lower())


def copy_python_models(
    warehouse: Path, environment: Mapping[str, str], schema: str = "main"
) -> None:
    """Copy the PYTHON_MODELS' tables of a DuckDB build into the PostgreSQL of `environment`
    (its PG* variables), under the same table names, into `schema` (DuckDB's `main`) or its
    restricted schema."""
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
            duckdb_schema = columns[0][0]
            target_schema = schema + duckdb_schema.removeprefix("main")
            relation = f'"{target_schema}"."{model}"'
            duckdb_relation = f'"{duckdb_schema}"."{model}"'
            definitions = ", ".join(f'"{name}" {_postgres_type(kind)}' for _, name, kind in columns)
            names = ", ".join(f'"{name}"' for _, name, _ in columns)
            postgres.execute(f'create schema if not exists "{target_schema}"')
            postgres.execute(f"drop table if exists {relation} cascade")
            postgres.execute(f"create table {relation} ({definitions})")
            rows = duck.execute(f"select {names} from {duckdb_relation}").fetchall()
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
    schema: str = "main",
) -> subprocess.CompletedProcess:
    """`dbt <command> --target postgres` on raw_dir into `schema` (CRM_PG_SCHEMA), as `make
    build TARGET=postgres` would: the raw tables loaded first, the Python models' tables copied
    from `duckdb_warehouse` and left out of the build."""
    work_dir.mkdir(parents=True, exist_ok=True)
    dbt_env = {
        **dbt_environment(raw_dir, work_dir, work_dir / "unused.duckdb"),
        **environment,
        "CRM_PG_SCHEMA": schema,
    }
    copy_python_models(duckdb_warehouse, environment, schema)
    built = run_build(
        raw_dir,
        target="postgres",
        variables=json.dumps({"as_of_date": AS_OF_DATE, **(variables or {})}),
        target_path=work_dir / "target",
        log_path=work_dir / "logs",
        dbt_args=[*command[1:], "--exclude", *PYTHON_MODELS],
        declared_dir=work_dir / "declared",
        environment=dbt_env,
        publishing=False,
    )
    return subprocess.CompletedProcess(command, built.returncode, built.output, "")


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
