"""A forgiving CSV reader that accounts for every row.

Real exports arrive with a byte-order mark, Windows line endings, Latin-1 bytes in a UTF-8
file, NUL bytes, stray quotes and rows with too many or too few fields. This reader keeps
every row it can parse (flagging what it had to repair) and quarantines the rest with the
file name, line number and raw text, so rows read = rows kept + rows quarantined.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

# A quoted field may legitimately span lines; beyond this many, an unclosed quote is assumed.
MAX_LINES_PER_RECORD = 50
LOAD_COLUMNS = (
    "_row_number",
    "_line_number",
    "_load_issue",
    "_is_quarantined",
    "_quarantine_reason",
    "_raw_text",
)

csv.field_size_limit(sys.maxsize)


class RawInputError(ValueError):
    """The file cannot be used at all (missing, or its header lacks a contract column)."""


def _decode_line(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 when possible; otherwise Windows-1252/Latin-1, flagged, so no byte is dropped."""
    issues = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        issues.append("non_utf8_bytes_decoded_as_latin1")
    if "\x00" in text:
        text = text.replace("\x00", "")
        issues.append("nul_bytes_removed")
    return text, issues


def _physical_lines(data: bytes) -> Iterator[tuple[str, list[str]]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for raw in lines:
        yield _decode_line(raw.removesuffix(b"\r"))


def _record_span(lines: list[str], start: int) -> int:
    """Lines the record starting at `start` spans: further lines only while a quote is open.

    Returns 0 when the quote never closes within MAX_LINES_PER_RECORD lines.
    """
    quotes = 0
    for offset, line in enumerate(lines[start : start + MAX_LINES_PER_RECORD]):
        quotes += line.count('"')
        if quotes % 2 == 0:
            return offset + 1
    return 0


def _parse_record(text: str) -> list[str] | None:
    try:
        rows = list(csv.reader([text] if "\n" not in text else text.splitlines(True), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def read_raw_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Every data row of `path` with the contract `columns` as text plus load bookkeeping.

    Kept rows carry their values; quarantined rows carry only `_raw_text` and the reason.
    `_row_number` counts data rows from 1; `_line_number` is the physical line (the header
    is line 1) where the row starts.
    Raises RawInputError naming the file and column when the file cannot be used.
    """
    path = Path(path)
    if not path.is_file():
        raise RawInputError(f"raw input file {path.name!r} not found in {str(path.parent)!r}")
    decoded = list(_physical_lines(path.read_bytes()))
    texts = [text for text, _ in decoded]
    if not texts:
        raise RawInputError(f"raw input file {path.name!r} is empty (no header row)")
    header = [name.strip().lower() for name in next(csv.reader([texts[0]]))]
    missing = [name for name in columns if name not in header]
    if missing:
        raise RawInputError(
            f"raw input file {path.name!r} is missing contract column(s): {', '.join(missing)}"
        )
    positions = [header.index(name) for name in columns]

    lines = texts[1:]
    rows: list[dict[str, object]] = []
    index = 0
    while index < len(lines):
        span = _record_span(lines, index)
        text = "\n".join(lines[index : index + max(span, 1)])
        fields = _parse_record(text) if span else None
        reason = None
        if fields is None:
            reason = "not parseable as a CSV row" if span else "unbalanced quotes"
        elif len(fields) != len(header):
            reason = f"expected {len(header)} fields, found {len(fields)}"
        if reason and span > 1:
            # A stray quote borrowed the following lines: blame only this line, then resume.
            span, text = 1, lines[index]
            reason = "unbalanced quotes"
        span = max(span, 1)
        if not text.strip():
            index += span
            continue  # a blank line is not a row
        issues = sorted(
            {issue for _, found in decoded[index + 1 : index + 1 + span] for issue in found}
        )
        row: dict[str, object] = {
            "_row_number": len(rows) + 1,
            "_line_number": index + 2,  # the header is line 1
            "_load_issue": "; ".join(issues) or None,
            "_is_quarantined": reason is not None,
            "_quarantine_reason": reason,
            "_raw_text": text if reason else None,
        }
        for name, position in zip(columns, positions, strict=True):
            row[name] = None if reason else (fields[position] if fields[position] != "" else None)
        rows.append(row)
        index += span
    return pd.DataFrame(rows, columns=[*columns, *LOAD_COLUMNS]).astype(
        {"_row_number": "int64", "_line_number": "int64", "_is_quarantined": "bool"}
    )
