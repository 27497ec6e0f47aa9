"""Score person records with the SQL scoring macro on DuckDB or PostgreSQL, for tests.

The macro (macros/matching/matching_scored_pairs.sql) is rendered for the engine with the
model document inlined, then run on a table `records` holding standardized person records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import psycopg2
from psycopg2.extras import execute_values

from python_checks.sql_render import compiled_sql

# The standardized columns the matching features read, with their PostgreSQL types.
RECORD_COLUMNS = {
    "record_key": "text",
    "source_system": "text",
    "first_name_key": "text",
    "last_name_key": "text",
    "email": "text",
    "phone_key": "text",
    "street_address": "text",
    "postal_code": "text",
    "city": "text",
    "birth_date": "date",
}


def scoring_sql(
    model: dict[str, Any],
    target: str,
    environment: dict | None = None,
    *,
    min_match_probability: float = 0.01,
    max_key_group_size: int = 20,
) -> str:
    text = json.dumps(model)
    snippet = (
        "{% set model_text %}{% raw %}" + text + "{% endraw %}{% endset %}"
        "{{ matching_scored_pairs('records', fromjson(model_text), "
        f"{min_match_probability!r}, {max_key_group_size}) }}}}"
    )
    return compiled_sql(snippet, target, environment)


def similarity_functions_sql(environment: dict) -> str:
    """The PostgreSQL functions the on-run-start hook creates (schema and extension made)."""
    return compiled_sql("{{ create_similarity_functions() }}", "postgres", environment)


def _python_rows(records: pd.DataFrame) -> list[tuple]:
    """Rows with None for missing values and dates as dates (what psycopg2 adapts)."""
    rows = []
    for row in records[list(RECORD_COLUMNS)].itertuples(index=False):
        rows.append(
            tuple(
                None
                if pd.isna(value)
                else value.date()
                if isinstance(value, pd.Timestamp)
                else value
                for value in row
            )
        )
    return rows


def duckdb_pairs(records: pd.DataFrame, model: dict[str, Any], **options: Any) -> pd.DataFrame:
    connection = duckdb.connect()
    connection.register("records_frame", records[list(RECORD_COLUMNS)])
    connection.execute("create table records as select * from records_frame")
    return connection.sql(scoring_sql(model, "duckdb", **options)).df()


@contextmanager
def _postgres_records(records: pd.DataFrame, environment: dict) -> Iterator[Any]:
    """A cursor in a transaction holding `records` as table `records` and the similarity
    functions; rolled back after."""
    connection = psycopg2.connect(
        host=environment["PGHOST"],
        port=environment["PGPORT"],
        user=environment["PGUSER"],
        dbname=environment["PGDATABASE"],
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(similarity_functions_sql(environment))
            cursor.execute("drop table if exists records")
            columns = ", ".join(f"{name} {kind}" for name, kind in RECORD_COLUMNS.items())
            cursor.execute(f"create temporary table records ({columns})")
            execute_values(cursor, "insert into records values %s", _python_rows(records))
            yield cursor
    finally:
        connection.rollback()
        connection.close()


def postgres_pairs(
    records: pd.DataFrame, model: dict[str, Any], environment: dict, **options: Any
) -> pd.DataFrame:
    sql = scoring_sql(model, "postgres", environment, **options)
    with _postgres_records(records, environment) as cursor:
        cursor.execute(sql)
        names = [column.name for column in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=names)


def postgres_function_calls(
    records: pd.DataFrame, model: dict[str, Any], environment: dict, **options: Any
) -> dict[str, int]:
    """How many times scoring `records` on PostgreSQL called each function of the schema's
    (PostgreSQL's own count of this transaction's calls)."""
    sql = scoring_sql(model, "postgres", environment, **options)
    with _postgres_records(records, environment) as cursor:
        cursor.execute("set local track_functions = 'all'")
        cursor.execute(f"select count(*) from ({sql}) as scored")
        cursor.execute("select funcname, calls from pg_stat_xact_user_functions")
        return dict(cursor.fetchall())
