"""Load raw exports into the warehouse: DuckDB's fast reader for clean UTF-8 files (any of
the delimiters), DuckDB's Parquet reader, and the forgiving Python reader for files that
need decoding or repair or hold unparseable rows; a source already in the warehouse is read
from its relation (relations.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from crm_quality.ingest.contract import (
    CRM_LINK_COLUMNS,
    ORDERS_LINK_COLUMNS,
    RAW_CONTRACT,
    ROLES,
    clean_load_columns,
    role_fields,
)
from crm_quality.ingest.csv_rows import BLANK, RawInputError, header_names, read_raw_csv
from crm_quality.ingest.declared import DeclaredSource, declared_sources
from crm_quality.ingest.files import PARQUET_MAGIC, detect_delimiter, detect_encoding
from crm_quality.ingest.relations import Catalog, no_rows_sql, relation_rows_sql

Rows = duckdb.DuckDBPyRelation | pd.DataFrame


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_clean_utf8(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    if data.isascii():  # a fast scan; decoding builds the whole text only to drop it
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _missing_error(path: Path, missing: Sequence[str]) -> RawInputError:
    return RawInputError(
        f"raw input file {path.name!r} is missing contract column(s): {', '.join(missing)}"
    )


def _strict_duckdb_read(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    header: list[str],
    columns: Sequence[str],
    delimiter: str,
) -> duckdb.DuckDBPyRelation | None:
    """The whole file through DuckDB's strict CSV reader; raises on any malformed row.

    The file is parsed once, on every core, into a temporary table that keeps its rows in file
    order, so a row's position there is its row number. Numbering the reader's rows with a
    window instead ran on one core, and a second pass to surface bad rows read the file twice.
    Blank rows (only delimiters, spaces and empty quotes) are no rows, as in the forgiving
    reader: after the last record (Excel's unused rows) they are left out; between records they
    would shift the numbering, so the result is None and the forgiving reader numbers the rows.
    """
    # Positional names keep odd header spellings (case, spaces, duplicates) from mattering.
    positional = {f"c{index}": "VARCHAR" for index in range(len(header))}
    struct = (
        "{"
        + ", ".join(f"{_quote(name)}: {_quote(kind)}" for name, kind in positional.items())
        + "}"
    )
    selected = ", ".join(
        f"c{header.index(name.strip().lower())} as {_identifier(name)}" for name in columns
    )
    blank = _blank_row_sql(len(header))
    scanned = _identifier(f"_raw_scan_{uuid.uuid4().hex[:12]}")
    connection.execute(
        f"""
        create temporary table {scanned} as
        select {selected}, {blank} as _is_blank
        from read_csv(
            {_quote(str(path))}, columns = {struct}, header = true, auto_detect = false,
            delim = {_quote(delimiter)}, quote = '"', escape = '"', strict_mode = true,
            encoding = 'utf-8'
        )
        """
    )
    ((blank_between_records,),) = connection.execute(
        f"""
        select count(*) from {scanned}
        where _is_blank and rowid < (select max(rowid) from {scanned} where not _is_blank)
        """
    ).fetchall()
    if blank_between_records:
        return None
    selected = [_identifier(name) for name in columns] + clean_load_columns("rowid + 1")
    return connection.sql(f"select {', '.join(selected)} from {scanned} where not _is_blank")


def _blank_row_sql(width: int) -> str:
    """Whether a row of fields c0… is blank (csv_rows.is_blank_row): every field empty once
    BLANK is trimmed. A first field starting with any other character settles it, and trimming
    every row's fields tripled the read (a million orders: 4.1 CPU seconds against 1.4)."""
    trimmed = ", ".join(f"nullif(trim(c{index}, {_quote(BLANK)}), '')" for index in range(width))
    blank_starts = ", ".join(_quote(start) for start in ("", *BLANK))
    return (
        f"case when left(c0, 1) not in ({blank_starts}) then false "
        f"else coalesce({trimmed}) is null end"
    )


def _parquet_read(
    connection: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str]
) -> duckdb.DuckDBPyRelation:
    """Every row of a Parquet file, the `columns` (matched case-insensitively) cast to text."""
    scan = f"read_parquet({_quote(str(path))}, file_row_number = true)"
    actual = {name.strip().lower(): name for name in connection.sql(f"from {scan}").columns}
    missing = [name for name in columns if name.strip().lower() not in actual]
    if missing:
        raise _missing_error(path, missing)
    selected = [
        f"cast({_identifier(actual[name.strip().lower()])} as varchar) as {_identifier(name)}"
        for name in columns
    ] + clean_load_columns("file_row_number + 1")
    return connection.sql(f"select {', '.join(selected)} from {scan}")


def load_raw_file(
    connection: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str]
) -> Rows:
    """Every data row of a raw export with the header `columns` (matched case-insensitively,
    named as given) as text, plus load bookkeeping (`_row_number`, `_line_number`,
    `_load_issue`, `_is_quarantined`, `_quarantine_reason`, `_raw_text`). CSV in any detected
    encoding and delimiter, or Parquet. Nothing is dropped: unparseable rows come back
    quarantined."""
    path = Path(path)
    if not path.is_file():
        raise RawInputError(f"raw input file {path.name!r} not found in {str(path.parent)!r}")
    data = path.read_bytes()
    if data.startswith(PARQUET_MAGIC):
        return _parquet_read(connection, path, columns)
    if _is_clean_utf8(data):  # UTF-8 with or without a BOM, no NUL: DuckDB can read it
        # Only the header line is decoded: decoding the whole file for it cost seconds.
        end = data.find(b"\n")
        first_line = (data if end < 0 else data[:end]).decode("utf-8-sig").removesuffix("\r")
        delimiter = detect_delimiter(first_line)
        header = header_names(first_line, delimiter)
        missing = [name for name in columns if name.strip().lower() not in header]
        if missing:
            raise _missing_error(path, missing)
        try:
            rows = _strict_duckdb_read(connection, path, header, columns, delimiter)
        except duckdb.Error:
            rows = None  # a malformed row somewhere: the forgiving reader accounts for each one
        if rows is not None:
            return rows
    return read_raw_csv(path, columns, encoding=detect_encoding(data))


def load_raw_table(connection: duckdb.DuckDBPyConnection, raw_dir: str | Path, table: str) -> Rows:
    """`load_raw_file` for one table of the raw input contract, read from `raw_dir`/<table>.csv."""
    try:
        return load_raw_file(connection, Path(raw_dir) / f"{table}.csv", RAW_CONTRACT[table])
    except RawInputError as error:
        raise RawInputError(f"{error} (CRM_RAW_DIR={str(raw_dir)!r})") from error


def _file_columns(source: DeclaredSource) -> list[str]:
    """The distinct file columns a source reads, lowercased, in first-use order."""
    wanted = [column for columns in source.columns.values() for column in columns]
    links = (source.deleted_column, source.converted_flag_column, source.converted_id_column)
    wanted += [column for column in links if column]
    return list(dict.fromkeys(column.strip().lower() for column in wanted))


def _first_non_blank(columns: Sequence[str]) -> str:
    names = [_identifier(column.strip().lower()) for column in columns]
    if len(names) == 1:
        return f"cast({names[0]} as varchar)"
    cases = ", ".join(f"case when trim({name}) <> '' then {name} end" for name in names)
    return f"cast(coalesce({cases}) as varchar)"


def _text_or_null(value: str | None) -> str:
    return "cast(null as varchar)" if value is None else _quote(value)


def _column_or_null(column: str | None) -> str:
    return _first_non_blank([column]) if column else "cast(null as varchar)"


def _projection(source: DeclaredSource) -> str:
    """The role's columns from a source's file columns, constants and bookkeeping."""
    expressions = []
    for field in role_fields(source.role):
        if field in source.columns:
            expression = _first_non_blank(source.columns[field])
        elif field == "source_channel":
            expression = _text_or_null(source.channel)
        else:
            expression = "cast(null as varchar)"
        expressions.append(f"{expression} as {field}")
    if source.role == "crm":
        links = (
            _column_or_null(source.deleted_column),
            _column_or_null(source.converted_flag_column),
            _column_or_null(source.converted_id_column),
            _text_or_null(source.converts_to),
        )
        expressions += [
            f"{link} as {name}" for link, name in zip(links, CRM_LINK_COLUMNS, strict=True)
        ]
    if source.role == "orders":
        (name,) = ORDERS_LINK_COLUMNS
        expressions.append(f"{_text_or_null(source.billing_source)} as {name}")
    expressions += [
        f"{_quote(source.name)} as source_name",
        f"{_quote(source.origin)} as source_file",
        "cast(_row_number as bigint) as _row_number",
        "cast(_line_number as bigint) as _line_number",
        "cast(_load_issue as varchar) as _load_issue",
        "cast(_is_quarantined as boolean) as _is_quarantined",
        "cast(_quarantine_reason as varchar) as _quarantine_reason",
        "cast(_raw_text as varchar) as _raw_text",
    ]
    return ",\n".join(expressions)


def relation_source_sql(source: DeclaredSource) -> str:
    """Every row of a source already in the warehouse in its role's columns, as portable SQL
    the warehouse runs (DuckDB, or PostgreSQL server-side)."""
    if source.relation is None:
        raise ValueError(f"source {source.name!r} reads a file, not a relation")
    rows = relation_rows_sql(source.relation, _file_columns(source))
    return f"select {_projection(source)} from ({rows}) as relation_rows"


def load_source(
    connection: duckdb.DuckDBPyConnection,
    raw_dir: str | Path,
    source: DeclaredSource,
    relations_here: bool = True,
) -> duckdb.DuckDBPyRelation:
    """Every row of one declared source in its role's columns (`role_columns`). A relation's
    rows are read on `connection` when `relations_here` (it is the warehouse holding it); else
    its rows are left out, in the same shape, for the warehouse to add itself
    (relation_source_sql)."""
    if source.relation is not None:
        if relations_here:
            return connection.sql(relation_source_sql(source))
        return connection.sql(no_rows_sql(_file_columns(source))).project(_projection(source))
    try:
        rows = load_raw_file(connection, Path(raw_dir) / source.file, _file_columns(source))
    except RawInputError as error:
        raise RawInputError(
            f"source {source.name!r} ({source.file}): {error} (CRM_RAW_DIR={str(raw_dir)!r})"
        ) from error
    if isinstance(rows, pd.DataFrame):
        rows = connection.from_df(rows)
    return rows.project(_projection(source))


def load_role(
    connection: duckdb.DuckDBPyConnection,
    raw_dir: str | Path,
    role: str,
    catalog: Catalog | None = None,
    relations_here: bool = True,
) -> Rows:
    """Every row of every declared source of `role` (crm, billing or orders), in the columns
    `contract.role_columns(role)`: contract fields as text (null where a source does not
    collect the field), for crm the recycle-bin and conversion columns, `source_name`,
    `source_file` and the load bookkeeping. Sources are stacked in declaration order; a role
    with no source has no rows.
    `catalog` is the warehouse's, for sources naming relations (load_source)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    sources = [source for source in declared_sources(raw_dir, catalog) if source.role == role]
    if not sources:
        # A role declared with no source (OPTIONAL_ROLES): its table, with no rows.
        nothing = DeclaredSource(role=role, name=role, file="", preset=None, columns={})
        return connection.sql(no_rows_sql([])).project(_projection(nothing))
    relations = [load_source(connection, raw_dir, source, relations_here) for source in sources]
    result = relations[0]
    for relation in relations[1:]:
        result = result.union(relation)
    return result
