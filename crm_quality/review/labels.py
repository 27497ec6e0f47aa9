"""The pairs a reviewer already labelled (the CRM_LABELS file), so none is asked twice."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crm_quality.ingest.csv_rows import RawInputError, read_raw_csv
from crm_quality.ingest.declared import _file_header
from crm_quality.spreadsheet import restore_formula

PairKey = tuple[str, str]
LABEL_KEY_COLUMNS = ("record_key_l", "record_key_r")


def pair_key(record_key_a: str, record_key_b: str) -> PairKey:
    """A pair whichever order it is written in: the smaller key first, as fct_match_pairs
    orders record_key_l < record_key_r (code point order, Python's string order)."""
    return (
        (record_key_a, record_key_b)
        if record_key_a < record_key_b
        else (record_key_b, record_key_a)
    )


def _key(value: object) -> str | None:
    text = "" if value is None or pd.isna(value) else str(value).strip()
    return restore_formula(text) if text else None


def labelled_pairs(path: str | Path) -> set[PairKey]:
    """Every pair `path` labels, in either order. The file is read as the raw exports are
    (crm_quality.ingest.csv_rows: any encoding and delimiter a spreadsheet saves); columns
    other than the two keys are ignored, rows without both keys skipped. Raises RawInputError
    naming the file and the missing column."""
    try:
        rows = read_raw_csv(Path(path), LABEL_KEY_COLUMNS)
    except RawInputError as error:
        raise RawInputError(f"labels file {str(path)!r} (CRM_LABELS) unusable: {error}") from error
    rows = rows[~rows["_is_quarantined"]]
    pairs = set()
    for left, right in zip(rows["record_key_l"], rows["record_key_r"], strict=True):
        left, right = _key(left), _key(right)
        if left and right:
            pairs.add(pair_key(left, right))
    return pairs


ANSWERS = {"1": True, "true": True, "0": False, "false": False}


def read_labels(path: str | Path) -> pd.DataFrame:
    """The usable labels of `path` (record_key_l, record_key_r, is_match), oldest first: the
    latest by reviewed_at (undated ones counting as older), then by row, last; as
    int_review_labels_latest orders them. Rows without both keys or a 1/0/true/false answer
    are left out (the build's label worklist names them)."""
    try:
        dated = "reviewed_at" in {name.strip().lower() for name in _file_header(Path(path))}
        wanted = (*LABEL_KEY_COLUMNS, "is_match", *(("reviewed_at",) if dated else ()))
        rows = read_raw_csv(Path(path), wanted)
    except RawInputError as error:
        raise RawInputError(f"labels file {str(path)!r} (CRM_LABELS) unusable: {error}") from error
    rows = rows[~rows["_is_quarantined"]]
    answers = rows["is_match"].map(lambda value: ANSWERS.get(str(value).strip().lower()))
    reviewed = rows["reviewed_at"] if dated else pd.Series(None, index=rows.index, dtype=object)
    frame = pd.DataFrame(
        {
            "record_key_l": rows["record_key_l"].map(_key),
            "record_key_r": rows["record_key_r"].map(_key),
            "is_match": answers,
            "reviewed_at": pd.to_datetime(reviewed, errors="coerce"),
        }
    ).dropna(subset=["record_key_l", "record_key_r", "is_match"])
    frame = frame.sort_values("reviewed_at", kind="stable", na_position="first")
    return frame[["record_key_l", "record_key_r", "is_match"]].astype({"is_match": bool})
