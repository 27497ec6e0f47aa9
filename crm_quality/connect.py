"""Open the warehouse the way each audience should see it.

Aggregates live in the default schema; models holding personal data are built into
`main_restricted` (and failing test rows into `main_audit`). BI tools and the report use the
default schema only; trusted tooling (tests, accuracy measurement) opts into the rest.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

RESTRICTED_SCHEMAS = ("main_restricted", "main_audit")


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
