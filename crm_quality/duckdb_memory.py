"""DuckDB keeps the memory it frees for reuse: its block allocator, as large as its memory limit.

Without it DuckDB hands freed memory back to the OS (jemalloc's decay, and a purge of every
arena whenever the buffer pool nears its limit or a connection closes) and faults it in again:
a million-contact build faulted in about 35 GB, eight times its peak RSS. The block allocator
keeps freed 256 KiB blocks and returns them only under memory pressure
(docs/entity_resolution.md, "Freed memory stays with DuckDB").

DuckDB refuses a block allocator larger than 80 % of the machine's memory, so on a machine
smaller than the memory limit it stays off rather than the connection failing. The warehouse's
dbt connection gets it through this module's dbt-duckdb plugin (profiles.yml); training's own
DuckDB through `keep_freed_blocks`.
"""

from __future__ import annotations

from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin


def keep_freed_blocks(connection: duckdb.DuckDBPyConnection, size: str) -> bool:
    """Turn DuckDB's block allocator on, `size` large (a memory limit's value, "4.5GB");
    False, and the connection as it was, where DuckDB refuses that size."""
    try:
        connection.execute(f"set block_allocator_memory = '{size}'")
    except duckdb.InvalidInputException:
        return False
    return True


class Plugin(BasePlugin):
    """The warehouse's block allocator, sized as the profile's memory_limit (none without one:
    DuckDB's default limit is all it could take)."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        options: dict[str, Any] = (self.creds.config_options if self.creds else None) or {}
        if options.get("memory_limit"):
            keep_freed_blocks(conn, options["memory_limit"])
