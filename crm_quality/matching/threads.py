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


def thread_count(database: Any) -> int:
    """The threads a query on `database` may use (1 on engines other than DuckDB)."""
    connection = getattr(database, "duckdb_con", database)
    if not isinstance(connection, duckdb.DuckDBPyConnection):
        return 1
    return int(connection.execute("select current_setting('threads')").fetchall()[0][0])


@contextmanager
def all_threads(database: Any) -> Iterator[None]:
    """Every core on `database` (a DuckDB connection, or a Splink DatabaseAPI over one) until
    the block ends, then its own thread count again; any other engine is left as it is."""
    connection = getattr(database, "duckdb_con", database)
    if not isinstance(connection, duckdb.DuckDBPyConnection):
        yield
        return
    threads = thread_count(connection)
    connection.execute(f"set threads = {os.cpu_count() or 1}")
    try:
        yield
    finally:
        connection.execute(f"set threads = {threads}")


@contextmanager
def build_sides_as_written(database: Any) -> Iterator[None]:
    """Until the block ends, DuckDB builds each join's hash table on its right side, as the SQL
    writes it, whatever the estimates say; any other engine is left as it is.

    A query split into one branch per thread (`thread_count`) filters each branch's records to
    a share: the estimates shrink, and DuckDB then builds on millions of pairs rather than on
    the small table they look up (measured 10 to 20 times slower)."""
    connection = getattr(database, "duckdb_con", database)
    if not isinstance(connection, duckdb.DuckDBPyConnection):
        yield
        return
    disabled = connection.execute("select current_setting('disabled_optimizers')").fetchall()
    previous = disabled[0][0] or ""
    names = [name for name in previous.split(",") if name.strip()]
    connection.execute(f"set disabled_optimizers = '{','.join([*names, 'build_side_probe_side'])}'")
    try:
        yield
    finally:
        connection.execute(f"set disabled_optimizers = '{previous}'")
