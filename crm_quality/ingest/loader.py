"""Load one raw export into the warehouse: DuckDB's fast reader for clean files, the
forgiving Python reader for files that need repair or hold unparseable rows."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from crm_quality.ingest.contract import RAW_CONTRACT
from crm_quality.ingest.csv_rows import RawInputError, read_raw_csv


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _is_clean_utf8(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strict_duckdb_read(
    connection: duckdb.DuckDBPyConnection, path: Path, header: list[str], columns: Sequence[str]
) -> duckdb.DuckDBPyRelation:
    """The whole file through DuckDB's strict CSV reader; raises on any malformed row."""
    # Positional names keep odd header spellings (case, spaces, duplicates) from mattering.
    positional = {f"c{index}": "VARCHAR" for index in range(len(header))}
    struct = (
        "{"
        + ", ".join(f"{_quote(name)}: {_quote(kind)}" for name, kind in positional.items())
        + "}"
    )
    selected = ", ".join(f"c{header.index(name)} as {name}" for name in columns)
    relation = connection.sql(
        f"""
        select
            {selected},
            cast(row_number() over () as bigint) as _row_number,
            cast(null as bigint) as _line_number,
            cast(null as varchar) as _load_issue,
            false as _is_quarantined,
            cast(null as varchar) as _quarantine_reason,
            cast(null as varchar) as _raw_text
        from read_csv(
            {_quote(str(path))}, columns = {struct}, header = true, auto_detect = false,
            delim = ',', quote = '"', escape = '"', strict_mode = true, encoding = 'utf-8'
        )
        """
    )
    relation.aggregate("count(*)").fetchall()  # force the scan now, so a bad row raises here
    return relation


def load_raw_file(
    connection: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str]
) -> duckdb.DuckDBPyRelation | pd.DataFrame:
    """Every data row of a raw export with the contract columns as text, plus load bookkeeping
    (`_row_number`, `_line_number`, `_load_issue`, `_is_quarantined`, `_quarantine_reason`,
    `_raw_text`). Nothing is dropped: unparseable rows come back quarantined."""
    path = Path(path)
    if not path.is_file():
        raise RawInputError(f"raw input file {path.name!r} not found in {str(path.parent)!r}")
    data = path.read_bytes()
    if _is_clean_utf8(data):
        first_line = data.decode("utf-8-sig").splitlines()[:1]
        header = [name.strip().lower() for name in next(csv.reader(first_line), [])]
        missing = [name for name in columns if name not in header]
        if missing:
            raise RawInputError(
                f"raw input file {path.name!r} is missing contract column(s): {', '.join(missing)}"
            )
        try:
            return _strict_duckdb_read(connection, path, header, columns)
        except duckdb.Error:
            pass  # a malformed row somewhere: the forgiving reader accounts for each one
    return read_raw_csv(path, columns)


def load_raw_table(
    connection: duckdb.DuckDBPyConnection, raw_dir: str | Path, table: str
) -> duckdb.DuckDBPyRelation | pd.DataFrame:
    """`load_raw_file` for one table of the raw input contract, read from `raw_dir`/<table>.csv."""
    try:
        return load_raw_file(connection, Path(raw_dir) / f"{table}.csv", RAW_CONTRACT[table])
    except RawInputError as error:
        raise RawInputError(f"{error} (CRM_RAW_DIR={str(raw_dir)!r})") from error
