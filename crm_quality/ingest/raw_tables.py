"""The raw tables every build starts from, loaded before dbt runs, on any engine.

dbt-postgres and dbt-spark run no Python models, so reading files cannot happen inside the
build. `python -m crm_quality.ingest load` reads CRM_RAW_DIR's declared sources with the same
readers (quarantine and conservation included) and writes one table per role, plus which
fields each source collects, into the restricted schema. The staging models read those tables
as dbt sources (models/staging/_raw__sources.yml).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path

import duckdb
import pyarrow as pa

from crm_quality.connect import postgres_connection
from crm_quality.ingest.declared import FRAME_COLUMNS, sources_frame
from crm_quality.ingest.labels import LABELS_TABLE, load_labels
from crm_quality.ingest.loader import load_role

Relation = duckdb.DuckDBPyRelation

# Role → its raw table; one source of truth with models/staging/_raw__sources.yml (a test
# compares them).
ROLE_TABLES: Mapping[str, str] = {
    "crm": "raw_crm_records",
    "billing": "raw_billing_customers",
    "orders": "raw_orders",
}
SOURCE_FIELDS_TABLE = "raw_source_fields"
# dbt builds restricted models into <target schema>_restricted; the raw rows belong there.
RESTRICTED_SUFFIX = "_restricted"
# Older DuckDB readers (BI drivers) refuse the 2.x format; applies when the file is created.
DUCKDB_CONFIG = {"storage_compatibility_version": "v1.4.0"}


def _loaded(
    connection: duckdb.DuckDBPyConnection, raw_dir: str | Path, labels_file: str | Path | None
) -> dict[str, Relation]:
    """Every raw table as a relation on `connection`, by table name."""
    tables: dict[str, Relation] = {
        table: load_role(connection, raw_dir, role) for role, table in ROLE_TABLES.items()
    }
    fields = connection.from_df(sources_frame(raw_dir))
    tables[SOURCE_FIELDS_TABLE] = fields.project(
        ", ".join(
            f"cast({column} as {'boolean' if column == 'is_collected' else 'varchar'}) as {column}"
            for column in FRAME_COLUMNS
        )
    )
    tables[LABELS_TABLE] = load_labels(connection, labels_file)
    return tables


def load_into_duckdb(
    raw_dir: str | Path,
    warehouse: str | Path,
    schema: str = "main",
    labels_file: str | Path | None = None,
) -> None:
    """Replace the raw tables (and the review labels) in a DuckDB warehouse file (created when
    absent)."""
    restricted = f"{schema}{RESTRICTED_SUFFIX}"
    with closing(duckdb.connect(str(warehouse), config=DUCKDB_CONFIG)) as connection:
        tables = _loaded(connection, raw_dir, labels_file)
        connection.execute("begin")
        connection.execute(f'create schema if not exists "{restricted}"')
        for table, rows in tables.items():
            connection.execute(f'drop table if exists "{restricted}"."{table}"')
            rows.create(f'"{restricted}"."{table}"')
        connection.execute("commit")


_POSTGRES_TYPES = {pa.string(): "text", pa.large_string(): "text", pa.int64(): "bigint",
                   pa.int32(): "integer", pa.bool_(): "boolean"}  # fmt: skip


def _postgres_type(field: pa.Field) -> str:
    try:
        return _POSTGRES_TYPES[field.type]
    except KeyError:
        raise TypeError(f"raw column {field.name!r} has type {field.type}, not text") from None


def load_into_postgres(
    raw_dir: str | Path, schema: str = "main", labels_file: str | Path | None = None
) -> None:
    """Replace the raw tables in the PostgreSQL database the PG* variables name, in one
    transaction (a reader sees the previous rows or the new ones, never a mix)."""
    restricted = f"{schema}{RESTRICTED_SUFFIX}"
    with closing(duckdb.connect()) as reader, postgres_connection() as connection:
        tables = _loaded(reader, raw_dir, labels_file)
        with connection.cursor() as cursor:
            cursor.execute(f'create schema if not exists "{restricted}"')
            for table, relation in tables.items():
                rows = relation.to_arrow_table()
                columns = ", ".join(
                    f'"{field.name}" {_postgres_type(field)}' for field in rows.schema
                )
                # The base models are views on these tables, and PostgreSQL binds a view to its
                # table: they go with it, and the build makes them again.
                cursor.execute(f'drop table if exists "{restricted}"."{table}" cascade')
                cursor.execute(f'create table "{restricted}"."{table}" ({columns})')
                names = ", ".join(f'"{name}"' for name in rows.column_names)
                copy_sql = f'copy "{restricted}"."{table}" ({names}) from stdin'
                with cursor.copy(copy_sql) as copy:
                    for row in _rows(rows):
                        copy.write_row(row)
                # Planner statistics now: the first models read these tables at once.
                cursor.execute(f'analyze "{restricted}"."{table}"')


def _rows(table: pa.Table) -> Iterator[tuple]:
    for batch in table.to_batches(max_chunksize=50_000):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)
