"""Open the warehouse the way each audience should see it.

Aggregates live in the default schema; models holding personal data are built into
`main_restricted` (and failing test rows into `main_audit`). BI tools and the report use the
default schema only; trusted tooling (tests, accuracy measurement) opts into the rest.

On PostgreSQL (`connect_postgres`) the default schema is CRM_PG_SCHEMA (else `main`), reached
as the role the PG* variables name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import yaml

RESTRICTED_SCHEMAS = ("main_restricted", "main_audit")
RESTRICTED_SUFFIXES = ("_restricted", "_audit")
TARGETS = ("duckdb", "postgres")
PROFILES = Path(__file__).resolve().parent.parent / "profiles.yml"
ENV_VAR_WITH_DEFAULT = re.compile(r"\{\{\s*env_var\('(\w+)',\s*'([^']*)'\)\s*(?:\|\s*int\s*)?\}\}")
# The connection settings of profiles.yml's postgres output: libpq names them alike.
POSTGRES_PROFILE_KEYS = ("host", "port", "user", "password", "dbname")


def _profile_output(name: str) -> dict[str, Any]:
    return yaml.safe_load(PROFILES.read_text(encoding="utf-8"))["crm_quality"]["outputs"][name]


def _rendered(value: object) -> str:
    """A profile value with its env_var() calls replaced as dbt renders them."""
    return ENV_VAR_WITH_DEFAULT.sub(lambda found: os.environ.get(found[1], found[2]), str(value))


def duckdb_profile_config() -> dict[str, str]:
    """The config_options dbt-duckdb opens the warehouse file with (profiles.yml), as the
    environment sets them: a process opening that file beside dbt must open it alike."""
    options = _profile_output("duckdb")["config_options"]
    return {name: _rendered(value) for name, value in options.items()}


def postgres_parameters() -> dict[str, str]:
    """Where dbt's postgres target connects (profiles.yml: the PG* variables, else its
    defaults), as libpq parameters: the build's own steps must reach the same server, database
    and role as dbt, also when only some PG* variables are set. An empty password is left to
    libpq (PGPASSFILE, ~/.pgpass)."""
    output = _profile_output("postgres")
    rendered = {key: _rendered(output[key]) for key in POSTGRES_PROFILE_KEYS}
    return {key: value for key, value in rendered.items() if value != ""}


def postgres_connection(**options: Any) -> Any:
    """A psycopg connection to the PostgreSQL dbt's postgres target reaches
    (postgres_parameters), with psycopg's `options` (autocommit=True, …)."""
    import psycopg  # only the postgres target needs it

    return psycopg.connect(**postgres_parameters(), **options)


def connect(
    warehouse: str | Path, *, read_only: bool = True, restricted: bool = False
) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse file; with `restricted`, unqualified names also find the
    restricted and audit schemas."""
    connection = duckdb.connect(str(warehouse), read_only=read_only)
    if restricted:
        present = {
            name
            for (name,) in connection.execute("select schema_name from duckdb_schemas()").fetchall()
        }
        schemas = ",".join(["main", *(name for name in RESTRICTED_SCHEMAS if name in present)])
        connection.execute(f"set search_path = '{schemas}'")
    return connection


class PostgresResult:
    """A finished query, fetched the ways the headline and the report fetch DuckDB's."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    def fetchdf(self) -> pd.DataFrame:
        columns = [column.name for column in self._cursor.description]
        return pd.DataFrame(self._cursor.fetchall(), columns=columns)


class PostgresWarehouse:
    """A read-only PostgreSQL session answering `execute(sql, parameters)` like a DuckDB
    connection, so the same queries (portable SQL, `?` placeholders) read either engine."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, query: str, parameters: list | tuple | None = None) -> PostgresResult:
        if parameters is not None:
            query = query.replace("%", "%%").replace("?", "%s")
        return PostgresResult(self._connection.execute(query, parameters))

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> PostgresWarehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def connect_postgres(*, schema: str | None = None, restricted: bool = False) -> PostgresWarehouse:
    """A read-only session on the PostgreSQL the PG* variables name; unqualified names find
    `schema` (default CRM_PG_SCHEMA, else main) and, with `restricted`, its restricted and
    audit schemas. Each statement sees the latest published build whole (read committed)."""
    schema = schema or os.environ.get("CRM_PG_SCHEMA", "main")
    connection = postgres_connection(autocommit=True)
    connection.execute("set default_transaction_read_only = on")
    schemas = [schema, *(schema + suffix for suffix in RESTRICTED_SUFFIXES if restricted)]
    connection.execute(
        "select set_config('search_path', %s, false)",
        [", ".join(f'"{name}"' for name in schemas)],
    )
    return PostgresWarehouse(connection)


def connect_warehouse(
    target: str, warehouse: str | Path | None = None
) -> duckdb.DuckDBPyConnection | PostgresWarehouse:
    """A read-only connection to the default schema of the `target` engine's warehouse: the
    DuckDB file `warehouse`, or the PostgreSQL of the PG* variables."""
    if target == "postgres":
        return connect_postgres()
    if warehouse is None:
        raise ValueError("the DuckDB target needs the warehouse file")
    return connect(warehouse)


def _unreadable_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """What the engines raise for a relation that does not exist, and for a warehouse that
    cannot be reached or opened."""
    import psycopg  # only the postgres target needs it

    missing = (duckdb.CatalogException, psycopg.errors.UndefinedTable)
    return missing, (duckdb.IOException, psycopg.OperationalError)


@contextmanager
def exit_when_unreadable(target: str, warehouse: str | Path | None) -> Iterator[None]:
    """For a command reading the warehouse: when it is not there to read (a server refusing
    the connection, a file that cannot be opened, marts no build has published yet), end with
    a line naming the warehouse and the cause instead of a traceback (exit status 1)."""
    where = (
        f"PostgreSQL, schema {os.environ.get('CRM_PG_SCHEMA', 'main')}"
        if target == "postgres"
        else f"DuckDB file {warehouse}"
    )
    missing, unreachable = _unreadable_errors()
    try:
        yield
    except missing as error:
        # The engines' hints ("Did you mean …", the query's line) point at our SQL, not the cause.
        cause = str(error).strip().splitlines()[0]
        raise SystemExit(
            f"error: cannot read the warehouse ({where}): {cause} (has a build published it?)"
        ) from None
    except unreachable as error:
        raise SystemExit(
            f"error: cannot read the warehouse ({where}): {str(error).strip()}"
        ) from None
