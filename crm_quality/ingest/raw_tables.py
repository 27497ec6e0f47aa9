"""The raw tables every build starts from, loaded before dbt runs, on any engine.

dbt-postgres and dbt-spark run no Python models, so reading files cannot happen inside the
build. `python -m crm_quality.ingest load` reads CRM_RAW_DIR's declared sources with the same
readers (quarantine and conservation included) and writes one table per role, plus which
fields each source collects, into the restricted schema. The staging models read those tables
as dbt sources (models/staging/_raw__sources.yml). Sources already in the warehouse (a
relation in sources.yml) load by SQL the warehouse runs: on PostgreSQL their rows never leave
the server.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from crm_quality.connect import postgres_connection, postgres_parameters
from crm_quality.ingest.contract import nearly_distinct_fields
from crm_quality.ingest.declared import FRAME_COLUMNS, declared_sources, sources_frame
from crm_quality.ingest.labels import LABELS_TABLE, load_labels
from crm_quality.ingest.loader import load_role, relation_source_sql
from crm_quality.ingest.relations import POSTGRES_COLUMNS_SQL, Catalog

Relation = duckdb.DuckDBPyRelation

# Role → its raw table; one source of truth with models/staging/_raw__sources.yml (a test
# compares them).
ROLE_TABLES: Mapping[str, str] = {
    "crm": "raw_crm_records",
    "billing": "raw_billing_customers",
    "orders": "raw_orders",
}
SOURCE_FIELDS_TABLE = "raw_source_fields"
# Raw table → the columns DuckDB stores uncompressed (contract.NEARLY_DISTINCT_FIELDS).
UNCOMPRESSED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    table: nearly_distinct_fields(role) for role, table in ROLE_TABLES.items()
}
# dbt builds restricted models into <target schema>_restricted; the raw rows belong there.
RESTRICTED_SUFFIX = "_restricted"
# Older DuckDB readers (BI drivers) refuse the 2.x format; applies when the file is created.
DUCKDB_CONFIG = {"storage_compatibility_version": "v1.4.0"}


def _duckdb_where(warehouse: str | Path) -> str:
    return f"the DuckDB warehouse {str(warehouse)!r}"


def _postgres_where() -> str:
    where = postgres_parameters()
    return (
        f"PostgreSQL {where.get('host')}:{where.get('port')}/{where.get('dbname')}"
        f" as role {where.get('user')}"
    )


def duckdb_catalog(connection: duckdb.DuckDBPyConnection, warehouse: str | Path) -> Catalog:
    """The relations of a DuckDB warehouse file, for sources that name one."""
    return Catalog(
        lambda sql, parameters: connection.execute(sql, list(parameters)).fetchall(),
        _duckdb_where(warehouse),
    )


def postgres_catalog(connection: Any) -> Catalog:
    """The relations of the PostgreSQL database the PG* variables name."""
    return Catalog(
        lambda sql, parameters: connection.execute(sql.replace("?", "%s"), parameters).fetchall(),
        _postgres_where(),
        POSTGRES_COLUMNS_SQL,
    )


@contextmanager
def warehouse_catalog(target: str, duckdb_path: str | Path | None) -> Iterator[Catalog]:
    """The catalog of the warehouse a build loads into (`duckdb_path` on DuckDB). It connects
    only when a source names a relation, and reads a DuckDB file without locking it for others
    (a missing file holds no relation)."""
    with ExitStack() as stack:
        opened: list[Catalog] = []

        def query(sql: str, parameters: Sequence[str]) -> list[tuple]:
            if not opened:
                if target == "postgres":
                    connection = stack.enter_context(postgres_connection(autocommit=True))
                    opened.append(postgres_catalog(connection))
                elif duckdb_path is None or not Path(duckdb_path).is_file():
                    return []
                else:
                    reader = duckdb.connect(str(duckdb_path), read_only=True)
                    stack.callback(reader.close)
                    opened.append(duckdb_catalog(reader, duckdb_path))
            return opened[0].rows(sql, parameters)

        if target == "postgres":
            yield Catalog(query, _postgres_where(), POSTGRES_COLUMNS_SQL)
        else:
            yield Catalog(query, _duckdb_where(duckdb_path or ""))


def _loaded(
    connection: duckdb.DuckDBPyConnection,
    raw_dir: str | Path,
    labels_file: str | Path | None,
    catalog: Catalog,
    relations_here: bool,
) -> dict[str, Relation]:
    """Every raw table as a relation on `connection`, by table name (load_role)."""
    tables: dict[str, Relation] = {
        table: load_role(connection, raw_dir, role, catalog, relations_here)
        for role, table in ROLE_TABLES.items()
    }
    fields = connection.from_df(sources_frame(raw_dir, catalog))
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
        catalog = duckdb_catalog(connection, warehouse)
        tables = _loaded(connection, raw_dir, labels_file, catalog, relations_here=True)
        connection.execute("begin")
        connection.execute(f'create schema if not exists "{restricted}"')
        for table, rows in tables.items():
            name = f'"{restricted}"."{table}"'
            connection.execute(f"drop table if exists {name}")
            connection.execute(_create_table_sql(name, rows, UNCOMPRESSED_COLUMNS.get(table, ())))
            rows.insert_into(name)
        connection.execute("commit")


def _create_table_sql(name: str, rows: Relation, uncompressed: Sequence[str]) -> str:
    """DDL of an empty table with the columns of `rows`, the `uncompressed` ones stored as
    they are (DuckDB's per-column `using compression`)."""
    columns = ", ".join(
        '"{}" {}{}'.format(
            column.replace('"', '""'),
            kind,
            " using compression uncompressed" if column in uncompressed else "",
        )
        for column, kind in zip(rows.columns, rows.types, strict=True)
    )
    return f"create table {name} ({columns})"


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
    transaction (a reader sees the previous rows or the new ones, never a mix). Files are read
    here and copied in; sources naming a relation are inserted by the server itself."""
    restricted = f"{schema}{RESTRICTED_SUFFIX}"
    with closing(duckdb.connect()) as reader, postgres_connection() as connection:
        catalog = postgres_catalog(connection)
        tables = _loaded(reader, raw_dir, labels_file, catalog, relations_here=False)
        in_warehouse = [
            source for source in declared_sources(raw_dir, catalog) if source.relation is not None
        ]
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
                for source in in_warehouse:
                    if ROLE_TABLES[source.role] == table:
                        select = relation_source_sql(source)
                        cursor.execute(f'insert into "{restricted}"."{table}" ({names}) {select}')
                # Planner statistics now: the first models read these tables at once.
                cursor.execute(f'analyze "{restricted}"."{table}"')


def _rows(table: pa.Table) -> Iterator[tuple]:
    for batch in table.to_batches(max_chunksize=50_000):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)
