"""A data steward's review labels (CRM_LABELS), loaded beside the raw tables before each build.

The labels file is a CSV a steward keeps appending to: `record_key_l, record_key_r, is_match`
and optionally `reviewer, reviewed_at`, and the review sample's `band, is_near_miss` (the
stratum the pair was drawn from, which the precision estimate needs once the model has moved
the pair); other columns, such as the sample's side-by-side fields, are ignored. It is read by
the same forgiving reader as the exports, so an unreadable row is kept and quarantined, never
dropped; every value stays text for the staging model to judge. Without a labels file the table
is empty, so the models downstream always build.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from crm_quality.ingest.declared import _file_header
from crm_quality.ingest.files import RawInputError
from crm_quality.ingest.loader import load_raw_file

LABELS_TABLE = "raw_review_labels"
REQUIRED_COLUMNS = ("record_key_l", "record_key_r", "is_match")
OPTIONAL_COLUMNS = ("reviewer", "reviewed_at", "band", "is_near_miss")
BOOKKEEPING = (
    ("_row_number", "bigint"),
    ("_line_number", "bigint"),
    ("_load_issue", "varchar"),
    ("_is_quarantined", "boolean"),
    ("_quarantine_reason", "varchar"),
    ("_raw_text", "varchar"),
)


def _columns_sql(present: set[str]) -> str:
    labelled = [
        f"cast({name} as varchar) as {name}"
        if name in present
        else f"cast(null as varchar) as {name}"
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    ]
    kept = [f"cast({name} as {kind}) as {name}" for name, kind in BOOKKEEPING]
    return ", ".join(labelled + kept)


def load_labels(
    connection: duckdb.DuckDBPyConnection, labels_file: str | Path | None
) -> duckdb.DuckDBPyRelation:
    """Every row of the labels file in the labels table's columns (empty without a file)."""
    if labels_file is None or not str(labels_file).strip():
        empty = ", ".join(
            f"cast(null as varchar) as {name}" for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        )
        kept = ", ".join(f"cast(null as {kind}) as {name}" for name, kind in BOOKKEEPING)
        return connection.sql(f"select {empty}, {kept} where false")
    path = Path(labels_file)
    try:
        if not path.is_file():
            raise RawInputError(f"the labels file {str(path)!r} (CRM_LABELS) was not found")
        header = set(_file_header(path))
        wanted = [*REQUIRED_COLUMNS, *(name for name in OPTIONAL_COLUMNS if name in header)]
        rows = load_raw_file(connection, path, wanted)
    except RawInputError as error:
        raise RawInputError(f"CRM_LABELS={str(path)!r}: {error}") from error
    if not isinstance(rows, duckdb.DuckDBPyRelation):
        rows = connection.from_df(rows)
    return rows.project(_columns_sql(set(wanted)))
