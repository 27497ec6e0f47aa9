"""Every core for the training passes whose results cannot depend on how many there are.

Training runs on the one thread its connection was opened with (train_step.py): DuckDB's
parallel sums of doubles differ in their last bits from run to run, and the model id hashes
the trained floats. Passes that only count (pairs per key, deterministic pairs, u's sampled
levels) or that put their rows in one order before anything sums them may use every core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb


@contextmanager
def all_threads(database: Any) -> Iterator[None]:
    """Every core on `database` (a DuckDB connection, or a Splink DatabaseAPI over one) until
    the block ends, then its own thread count again; any other engine is left as it is."""
    connection = getattr(database, "duckdb_con", database)
    if not isinstance(connection, duckdb.DuckDBPyConnection):
        yield
        return
    threads = connection.execute("select current_setting('threads')").fetchall()[0][0]
    connection.execute(f"set threads = {os.cpu_count() or 1}")
    try:
        yield
    finally:
        connection.execute(f"set threads = {threads}")
