"""Build the same raw data on DuckDB and on PostgreSQL, and compare what the two builds hold.

Both builds run crm_quality.build.run_build, the matching training step included: every dbt
model is SQL, so PostgreSQL builds the whole project.
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg

from crm_quality.build import run_build
from python_checks.dbt_runner import AS_OF_DATE, dbt_environment

# Floating-point sums and averages may differ in their last bits between engines (summation
# order); numbers agree when within this relative (or, near zero, absolute) difference.
FLOAT_TOLERANCE = 1e-9


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
    work_dir: Path,
    environment: Mapping[str, str],
    variables: dict | None = None,
    schema: str = "main",
) -> subprocess.CompletedProcess:
    """`dbt <command> --target postgres` on raw_dir into `schema` (CRM_PG_SCHEMA), as `make
    build TARGET=postgres` would (the raw tables loaded first), without publishing."""
    work_dir.mkdir(parents=True, exist_ok=True)
    dbt_env = {
        **dbt_environment(raw_dir, work_dir, work_dir / "unused.duckdb"),
        **environment,
        "CRM_PG_SCHEMA": schema,
    }
    built = run_build(
        raw_dir,
        target="postgres",
        variables=json.dumps({"as_of_date": AS_OF_DATE, **(variables or {})}),
        target_path=work_dir / "target",
        log_path=work_dir / "logs",
        dbt_args=command[1:],
        sql_tests=True,  # the unit and invariant tests on this engine too
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
