"""Every catalog check runs on DuckDB and on PostgreSQL and judges the same rows alike.

Each relation the checks read is made up here as a small table whose values cycle through the
cases the conditions tell apart (statuses, nulls, counts, flags); the checks are rendered per
engine (render_quality_checks) and run on both, and their rows must be identical.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import duckdb
import psycopg
import pytest

from crm_quality.check_catalog import check_models
from python_checks.sql_render import compiled_sql

IDENTITY = ("record_key", "source_system", "source_name", "source_record_id", "source_channel")
# The columns each prepared relation offers the checks (beyond the record identity).
RELATION_COLUMNS = {
    "person_record_ids": ("source_id", "id_occurrence"),
    "person_fields": tuple(
        f"{name}{suffix}"
        for name in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "country",
            "birth_date",
            "created_at",
            "updated_at",
        )
        for suffix in ("_status", "_raw")
    )
    + ("judged_phone_status",),  # fmt: skip
    "crm_billing_comparisons": tuple(
        column
        for name in ("email", "phone", "country", "birth_date")
        for column in (name, f"{name}_raw", f"billing_{name}_values", f"billing_{name}_matches")
    )
    + ("judged_phone",),
    "resolved_records": ("survivor_rank", "customer_id"),
    "crm_touches": (
        "updated_at_status",
        "created_at_status",
        "last_touched_at",
        "last_touched_at_raw",
    ),  # fmt: skip
    "rows_read": ("is_quarantined", "raw_text"),
    "orders_enriched": (
        "order_id",
        "account_id",
        "has_billing_account",
        "order_date_status",
        "order_date_raw",
        "amount_status",
        "amount_raw",
        "currency",
        "is_known_currency",
        "id_occurrence",
    ),  # fmt: skip
}
SOURCES = (("crm", "crm"), ("crm", "webshop"), ("billing", "billing"), ("orders", "billing"))
NOT_COLLECTED = {("webshop", "email"), ("webshop", "phone")}
FIELDS = (
    "contact_id", "account_id", "first_name", "last_name", "email", "phone", "country",
    "birth_date", "created_at", "updated_at", "opened_at", "order_id", "order_date", "amount",
    "currency",
)  # fmt: skip
ROWS_PER_SOURCE = 7


def _type(column: str) -> str:
    if column in ("id_occurrence", "survivor_rank") or column.endswith(("_values", "_matches")):
        return "integer"
    if column.startswith(("has_", "is_")):
        return "boolean"
    if column == "birth_date":
        return "date"
    if column == "last_touched_at":
        return "timestamp"
    return "varchar"


def _value(column: str, row: int) -> object:
    options: tuple = {
        "integer": (0, 1, 2, None),
        "boolean": (True, False, None),
        "date": (date(1980, 5, 17), None, date(1975, 1, 2)),
        "timestamp": (datetime(2026, 6, 1, 9), None, datetime(2019, 3, 4, 5)),
    }.get(_type(column), ("a", None, "b"))
    if column.endswith("_status"):
        options = ("valid", "missing", "invalid", "unverifiable", None)
    return options[(row + len(column)) % len(options)]


def _tables() -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    tables = {}
    for relation, columns in RELATION_COLUMNS.items():
        rows = [
            (f"{name}:{row}", system, name, str(row), "web")
            + tuple(_value(column, row) for column in columns)
            for system, name in SOURCES
            for row in range(ROWS_PER_SOURCE)
        ]
        tables[relation] = (IDENTITY + columns, rows)
    fields = [
        (system, name, field, (name, field) not in NOT_COLLECTED)
        for system, name in SOURCES
        for field in FIELDS
    ]
    tables["stg_sources__fields"] = (
        ("source_system", "source_name", "field", "is_collected"),
        fields,
    )
    return tables


def _create(execute, table: str, columns: tuple[str, ...], rows: list[tuple], marker: str) -> None:
    types = {"source_system": "varchar", "source_name": "varchar", "field": "varchar"}
    definitions = ", ".join(f"{column} {types.get(column, _type(column))}" for column in columns)
    execute(f"create table {table} ({definitions})")
    placeholders = ", ".join([marker] * len(columns))
    for row in rows:
        execute(f"insert into {table} values ({placeholders})", row)


def _fields_relation(target: str, environment: dict | None) -> str:
    return compiled_sql("{{ ref('stg_sources__fields') }}", target, environment).strip()


def _normalised(rows: list[tuple]) -> list[tuple]:
    return sorted(
        (
            tuple(float(value) if isinstance(value, Decimal) else value for value in row)
            for row in rows
        ),
        key=repr,
    )


@pytest.fixture(scope="module")
def rendered(postgres_env) -> dict[str, dict[str, str]]:
    relations = sorted(check_models())
    return {
        target: {
            relation: compiled_sql(
                f"{{{{ render_quality_checks('{relation}') }}}}",
                target,
                postgres_env if target == "postgres" else None,
            )
            for relation in relations
        }
        for target in ("duckdb", "postgres")
    }


def _fetched(cursor) -> tuple[tuple[str, ...], list[tuple]]:
    return tuple(column[0] for column in cursor.description), cursor.fetchall()


def _duckdb_results(sql_by_relation: dict[str, str]) -> dict[str, tuple]:
    connection = duckdb.connect()
    fields_relation = _fields_relation("duckdb", None)
    database, schema = re.findall(r'"([^"]+)"', fields_relation)[:2]
    connection.execute(f"attach ':memory:' as {database}")
    connection.execute(f"create schema {database}.{schema}")
    for table, (columns, rows) in _tables().items():
        name = fields_relation if table == "stg_sources__fields" else table
        _create(connection.execute, name, columns, rows, "?")
    return {
        relation: _fetched(connection.execute(sql)) for relation, sql in sql_by_relation.items()
    }


def _postgres_results(sql_by_relation: dict[str, str], environment: dict) -> dict[str, tuple]:
    fields_relation = _fields_relation("postgres", environment)
    schema = re.findall(r'"([^"]+)"', fields_relation)[1]
    arguments = {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }
    with psycopg.connect(**arguments) as connection:
        connection.execute(f"create schema if not exists {schema}")
        for table, (columns, rows) in _tables().items():
            name = fields_relation if table == "stg_sources__fields" else table
            # A build on this server may have views over the table (the kinds of checks); the
            # rollback below restores them.
            connection.execute(f"drop table if exists {name} cascade")
            _create(connection.execute, name, columns, rows, "%s")
        results = {
            relation: _fetched(connection.execute(sql)) for relation, sql in sql_by_relation.items()
        }
        connection.rollback()
    return results


def test_every_check_judges_alike_on_duckdb_and_postgresql(rendered, postgres_env):
    on_duckdb = _duckdb_results(rendered["duckdb"])
    on_postgres = _postgres_results(rendered["postgres"], postgres_env)
    outcomes: dict[str, set] = {}
    for relation, (columns, rows) in on_duckdb.items():
        assert columns == on_postgres[relation][0], relation
        assert _normalised(rows) == _normalised(on_postgres[relation][1]), relation
        for index, column in enumerate(columns):
            if column not in IDENTITY and not column.endswith("__raw_value"):
                outcomes[column] = {row[index] for row in rows}
    assert {True, False} <= set().union(*outcomes.values())
    # Every check of the catalog judged some rows of the made-up tables.
    assert len(outcomes) >= 45
    assert not [column for column, values in outcomes.items() if values <= {None}]
