"""Sources already in the warehouse: a sources.yml entry may name a relation (`schema.table`,
a table or view the warehouse holds) instead of a file.

Its rows load into the same raw tables as a file's (crm_quality.ingest.raw_tables), every
column read as text, by SQL that runs on the warehouse itself: DuckDB's file, or PostgreSQL
server-side (no rows travel through the build machine). A relation has no lines: each row's
`_row_number` is its position in the order the engine reads it, and nothing is quarantined
(its values are already parsed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crm_quality.ingest.contract import clean_load_columns

RELATION_NAME = re.compile(r"^\s*([A-Za-z_][\w$]*)\.([A-Za-z_][\w$]*)\s*$")
# A relation's columns with their types, and whether this session may read it; names match
# case-insensitively, as unquoted names do. DuckDB has no privileges to check.
COLUMNS_SQL = """
    select table_schema, table_name, column_name, true as readable, lower(data_type)
    from information_schema.columns
    where lower(table_schema) = lower(?) and lower(table_name) = lower(?)
    order by table_schema, table_name, ordinal_position
"""
# PostgreSQL's information_schema lists only what the role may read, and no materialized view:
# its catalog lists every relation, with the role's select privilege on it.
POSTGRES_COLUMNS_SQL = """
    select namespaces.nspname, relations.relname, columns.attname,
        has_table_privilege(relations.oid, 'select') as readable,
        format_type(columns.atttypid, columns.atttypmod)
    from pg_catalog.pg_class as relations
    inner join pg_catalog.pg_namespace as namespaces on relations.relnamespace = namespaces.oid
    inner join pg_catalog.pg_attribute as columns on columns.attrelid = relations.oid
    where relations.relkind in ('r', 'p', 'v', 'm', 'f')
        and columns.attnum > 0 and not columns.attisdropped
        and lower(namespaces.nspname) = lower(?) and lower(relations.relname) = lower(?)
    order by namespaces.nspname, relations.relname, columns.attnum
"""
# Runs `sql` with `?` parameters on the warehouse, returning its rows.
Query = Callable[[str, Sequence[str]], list[tuple]]


@dataclass(frozen=True)
class WarehouseRelation:
    """A relation as the warehouse's catalog spells it, with its columns (and their types,
    lowercased: `timestamp with time zone`, `character varying`, …) in order."""

    schema: str
    table: str
    columns: tuple[str, ...]
    readable: bool = True  # the session may select from it
    types: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        """The column names as a file header reads: trimmed and lowercased."""
        return [column.strip().lower() for column in self.columns]

    def column(self, name: str) -> str:
        """The catalog's spelling of a column named case-insensitively."""
        return self.columns[self.header.index(name.strip().lower())]

    def is_timestamp(self, name: str) -> bool:
        """Whether the column named case-insensitively holds timestamps (or dates)."""
        kind = self.types[self.header.index(name.strip().lower())] if self.types else ""
        return kind.startswith(("timestamp", "date"))


def parse_relation_name(name: str) -> tuple[str, str] | None:
    """(schema, table) of `schema.table`, or None when `name` is not of that form."""
    found = RELATION_NAME.match(name)
    return (found[1], found[2]) if found else None


class Catalog:
    """The relations a warehouse holds, read through `query` (information_schema)."""

    def __init__(self, query: Query, where: str, columns_sql: str = COLUMNS_SQL) -> None:
        self._query = query
        self.where = where  # how errors name the warehouse
        self._columns_sql = columns_sql

    def rows(self, sql: str, parameters: Sequence[str]) -> list[tuple]:
        """`sql` (with `?` parameters) run on the warehouse."""
        return self._query(sql, parameters)

    def relation(self, name: str) -> WarehouseRelation | None:
        """The relation `schema.table` names, or None when the warehouse has no such one.
        Raises ValueError for a name not of that form or matching several relations."""
        parts = parse_relation_name(name)
        if parts is None:
            raise ValueError(f"relation {name!r} must be schema.table")
        rows = self._query(self._columns_sql, parts)
        if not rows:
            return None
        spellings = sorted({(row[0], row[1]) for row in rows})
        if len(spellings) > 1:
            found = ", ".join(f"{schema}.{table}" for schema, table in spellings)
            raise ValueError(f"relation {name!r} matches several relations: {found}")
        ((schema, table),) = spellings
        columns = tuple(row[2] for row in rows)
        types = tuple(str(row[4]).lower() for row in rows)
        return WarehouseRelation(
            schema, table, columns, readable=all(row[3] for row in rows), types=types
        )


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def relation_rows_sql(relation: WarehouseRelation, columns: Sequence[str]) -> str:
    """Every row of `relation`: `columns` (matched case-insensitively, named lowercased) as text,
    and the load bookkeeping a file's rows carry. Portable SQL."""
    selected = [
        f"cast({_identifier(relation.column(name))} as varchar) as {_identifier(name.lower())}"
        for name in columns
    ]
    return (
        f"select {', '.join([*selected, *clean_load_columns('row_number() over ()')])}"
        f" from {_identifier(relation.schema)}.{_identifier(relation.table)}"
    )


def no_rows_sql(columns: Sequence[str]) -> str:
    """The shape of relation_rows_sql with no rows: for a reader that does not hold the
    relation (PostgreSQL's rows are inserted server-side afterwards)."""
    selected = [f"cast(null as varchar) as {_identifier(name.lower())}" for name in columns]
    return f"select {', '.join([*selected, *clean_load_columns('null')])} where false"
