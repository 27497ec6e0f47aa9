"""A forgiving CSV reader that accounts for every row.

Real exports arrive with a byte-order mark, Windows line endings, Latin-1 bytes in a UTF-8
file, NUL bytes, stray quotes, rows with too many or too few fields, and in any of the
encodings and delimiters crm_quality.ingest.files detects. This reader keeps every row it can
parse (flagging what it had to repair) and quarantines the rest with the file name, line
number and raw text, so rows read = rows kept + rows quarantined. Blank rows are no rows: an
empty line, or one of only delimiters, spaces and empty quotes (`;;;;`, which Excel writes for
the unused rows at the end of a sheet).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from crm_quality.ingest.contract import LOAD_COLUMNS
from crm_quality.ingest.files import RawInputError, decode, detect_delimiter, detect_encoding

__all__ = ["LOAD_COLUMNS", "RawInputError", "read_raw_csv"]

# What makes a field blank: spaces, tabs, line breaks and the no-break space (the same set in
# the fast reader, crm_quality.ingest.loader).
BLANK = " \t\r\n\xa0"
# A quoted field may legitimately span lines; beyond this many, an unclosed quote is assumed.
MAX_LINES_PER_RECORD = 50

csv.field_size_limit(sys.maxsize)


def _clean(text: str, issues: list[str]) -> tuple[str, list[str]]:
    if "\x00" in text:
        text = text.replace("\x00", "")
        issues.append("nul_bytes_removed")
    return text, issues


def _decode_utf8_line(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 when possible; otherwise Windows-1252/Latin-1, flagged, so no byte is dropped."""
    try:
        return _clean(raw.decode("utf-8"), [])
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="crm_quality_latin1")
        return _clean(text, ["non_utf8_bytes_decoded_as_latin1"])


def physical_lines(data: bytes, encoding: str) -> list[tuple[str, list[str]]]:
    """The file's lines as text, each with the repairs decoding it needed.

    UTF-8 files are decoded line by line, so one stray Latin-1 line is repaired and flagged;
    a file in a known other encoding is decoded once, whole.
    """
    if encoding in ("utf-8", "utf-8-sig"):
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
        decoded = [_decode_utf8_line(raw.removesuffix(b"\r")) for raw in lines]
    else:
        text = decode(data, encoding)
        decoded = [_clean(line.removesuffix("\r"), []) for line in text.split("\n")]
    if decoded and decoded[-1][0] == "":
        decoded.pop()
    return decoded


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


def _parse_record(text: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(
            csv.reader(
                [text] if "\n" not in text else text.splitlines(True),
                delimiter=delimiter,
                strict=True,
            )
        )
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def is_blank_row(fields: Sequence[str]) -> bool:
    """Whether a parsed row holds nothing: no field, or only empty and blank ones."""
    return not any(field.strip(BLANK) for field in fields)


def header_names(header_line: str, delimiter: str) -> list[str]:
    """Header names as matched against the contract: trimmed, case-insensitive (lowercased)."""
    return [name.strip().lower() for name in next(csv.reader([header_line], delimiter=delimiter))]


def read_raw_csv(
    path: Path,
    columns: Sequence[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> pd.DataFrame:
    """Every data row of `path` with the header `columns` (matched case-insensitively, named
    as given) as text plus load bookkeeping. Encoding and delimiter are detected unless given.

    Kept rows carry their values; quarantined rows carry only `_raw_text` and the reason.
    `_row_number` counts data rows from 1; `_line_number` is the physical line (the header
    is line 1) where the row starts.
    Raises RawInputError naming the file and column when the file cannot be used.
    """
    path = Path(path)
    if not path.is_file():
        raise RawInputError(f"raw input file {path.name!r} not found in {str(path.parent)!r}")
    data = path.read_bytes()
    decoded = physical_lines(data, encoding or detect_encoding(data))
    texts = [text for text, _ in decoded]
    if not texts:
        raise RawInputError(f"raw input file {path.name!r} is empty (no header row)")
    delimiter = delimiter or detect_delimiter(texts[0])
    header = header_names(texts[0], delimiter)
    missing = [name for name in columns if name.strip().lower() not in header]
    if missing:
        raise RawInputError(
            f"raw input file {path.name!r} is missing contract column(s): {', '.join(missing)}"
        )
    positions = [header.index(name.strip().lower()) for name in columns]

    lines = texts[1:]
    rows: list[dict[str, object]] = []
    index = 0
    while index < len(lines):
        span = _record_span(lines, index)
        text = "\n".join(lines[index : index + max(span, 1)])
        fields = _parse_record(text, delimiter) if span else None
        if not text.strip() or (fields is not None and is_blank_row(fields)):
            index += max(span, 1)
            continue  # a blank row is not a row
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
