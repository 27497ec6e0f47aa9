"""Build the same raw data on DuckDB and on PostgreSQL, and compare what the two builds hold.

Both builds run crm_quality.build.run_build, the matching training step included: every dbt
model is SQL, so PostgreSQL builds the whole project.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import yaml

from crm_quality.build import run_build
from python_checks.dbt_runner import AS_OF_DATE, REPO_ROOT, DbtRun, dbt_environment

# Floating-point sums and averages may differ in their last bits between engines (summation
# order); numbers agree when within this relative (or, near zero, absolute) difference.
FLOAT_TOLERANCE = 1e-9
# Columns whose values are the build's own: when it ran, its id, how long it took, where.
BUILD_COLUMNS = {
    "run_id", "run_started_at", "issued_at", "retired_at", "reset_at", "baseline_starts_at",
    "execution_seconds", "failures_relation", "message", "declared_dir", "trained_at",
}  # fmt: skip
# The failing rows are kept as JSON text, which each engine spells its own way.
JSON_COLUMNS = {"failing_row"}


def _connect_arguments(environment: Mapping[str, str]) -> dict[str, str]:
    return {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }


def connect_postgres(environment: Mapping[str, str], options: str = "") -> psycopg.Connection:
    """An autocommit connection; `options` as libpq's PGOPTIONS (session settings)."""
    return psycopg.connect(**_connect_arguments(environment), autocommit=True, options=options)


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


def node_statuses(work_dir: Path) -> dict[str, str]:
    """Node → status in the run_results of the build made in work_dir (either engine)."""
    results_file = work_dir / "target" / "run_results.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    return {result["unique_id"]: result["status"] for result in results}


def unpassed(work_dir: Path) -> dict[str, str]:
    """Node → status of every node of the build made in work_dir that did not succeed or pass
    (a warning passes)."""
    passing = ("success", "pass", "warn", "no-op")
    return {
        node: status for node, status in node_statuses(work_dir).items() if status not in passing
    }


def on_both_engines(
    duck: DbtRun, environment: Mapping[str, str], schema: str, sql: str
) -> tuple[object, object]:
    """The first value `sql` returns on the DuckDB build and in the PostgreSQL build's `schema`."""
    with connect_postgres(environment) as postgres:
        postgres.execute(f"set search_path to {schema}")
        return duck.scalar(sql), postgres.execute(sql).fetchone()[0]


def restricted_marts() -> list[str]:
    """The marts dbt_project.yml puts in the restricted schema (they hold personal data)."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    marts = project["models"]["crm_quality"]["marts"]
    return sorted(
        name for name, config in marts.items()
        if isinstance(config, dict) and config.get("+schema") == "restricted"
    )  # fmt: skip


def compared_tables(duck: DbtRun) -> list[tuple[str, str]]:
    """(schema, table) of what BI and analysts read: every table of the DuckDB build's main
    schema and the restricted marts."""
    main = duck.query(
        "select table_name from information_schema.tables where table_schema = 'main'"
        " order by table_name"
    )
    tables = [("main", name) for (name,) in main]
    return tables + [("main_restricted", name) for name in restricted_marts()]


def differing_tables(
    duck: DbtRun, environment: Mapping[str, str], postgres_dir: Path, schema: str = "main"
) -> dict[str, list[tuple[tuple, tuple]]]:
    """Each compared table whose rows differ between the DuckDB build and the PostgreSQL build
    made in postgres_dir into `schema` (CRM_PG_SCHEMA), with its first differing rows."""
    # The tests both builds ran: a build may leave the tests of the SQL to `make dbt-test`.
    on_duckdb = node_statuses(duck.warehouse.parent)
    tests_run = [
        node for node in node_statuses(postgres_dir) if "test." in node and node in on_duckdb
    ]
    differences = {}
    with connect_postgres(environment) as postgres:
        for duck_schema, table in compared_tables(duck):
            columns = _columns(duck, duck_schema, table)
            on_duckdb = duck.query(_select(duck_schema, table, columns, tests_run))
            postgres_schema = schema + duck_schema.removeprefix("main")
            sql = _select(postgres_schema, table, columns, tests_run)
            differing = rows_differ(
                _normalized(on_duckdb, columns),
                _normalized(postgres.execute(sql).fetchall(), columns),
            )
            if differing:
                differences[f"{duck_schema}.{table}"] = differing[:3]
    return differences


def _columns(duck: DbtRun, schema: str, table: str) -> list[str]:
    rows = duck.query(
        "select column_name from information_schema.columns"
        f" where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position"
    )
    return [name for (name,) in rows if name not in BUILD_COLUMNS]


def _normalized(rows: list[tuple], columns: list[str]) -> list[tuple]:
    json_positions = [index for index, name in enumerate(columns) if name in JSON_COLUMNS]
    normalized = []
    for row in rows:
        values = list(row)
        for index in json_positions:
            parsed = json.loads(values[index])
            values[index] = json.dumps(
                {key: comparable(value) for key, value in parsed.items()}, sort_keys=True
            )
        normalized.append(tuple(values))
    return sorted_rows(normalized)


def _select(schema: str, table: str, columns: list[str], tests_run: list[str]) -> str:
    where = ""
    if "test_unique_id" in columns:  # PostgreSQL runs no test of a model it does not build
        listed = ", ".join(f"'{test}'" for test in tests_run)
        where = f" where test_unique_id in ({listed})"
    names = ", ".join(f'"{name}"' for name in columns)
    return f'select {names} from "{schema}"."{table}"{where}'


def read_off_differences(
    duck: DbtRun, environment: Mapping[str, str], schema: str, out_dir: Path
) -> tuple[list[str], list[str]]:
    """What people read off the warehouse, the headline and the merge files a steward hands
    back to the CRM, read off each engine: (what PostgreSQL gives differently or not at all,
    what it gives)."""
    written = _read_off_both_engines(duck, environment, schema, out_dir)
    differing = [
        name
        for (engine, name), text in written.items()
        if engine == "duckdb" and written.get(("postgres", name)) != text
    ]
    return differing, sorted(name for engine, name in written if engine == "postgres")


def _read_off_both_engines(
    duck: DbtRun, environment: Mapping[str, str], schema: str, out_dir: Path
) -> dict[tuple[str, str], str]:
    """By (engine, what): the printed text of the headline and the merge export, and each
    written file's content."""
    postgres_env = {**os.environ, **environment, "CRM_PG_SCHEMA": schema}
    written = {}
    for engine, target, env in (
        ("postgres", ["--target", "postgres"], postgres_env),
        ("duckdb", ["--warehouse", str(duck.warehouse)], None),
    ):
        out = out_dir / engine
        for module, arguments in (
            ("headline", target),
            ("merge_export", [*target, "--out", str(out)]),
        ):
            printed = subprocess.run(
                [sys.executable, "-m", f"crm_quality.{module}", *arguments],
                cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            written[engine, module] = printed.replace(str(out), "OUT")
        for path in sorted(out.iterdir()):
            written[engine, path.name] = path.read_text(encoding="utf-8")
    return written
