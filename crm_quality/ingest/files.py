"""What a raw file is: Parquet or CSV, and for CSV its encoding and delimiter, read from the
bytes themselves (byte-order mark, NUL pattern, UTF-8 validity; delimiter counted in the
header line outside quotes)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (",", ";", "\t", "|")
PARQUET_MAGIC = b"PAR1"
# Enough bytes to see the header line of any real export.
HEADER_PREFIX_BYTES = 1 << 20
# A valid UTF-8 multi-byte sequence: cp1252 text (umlauts, ß, € between ASCII) almost never
# holds one, so finding one marks a UTF-8 file with a few stray Latin-1 bytes.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class RawInputError(ValueError):
    """The file cannot be used at all (missing, unreadable, or lacking a needed column)."""


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes cp1252 leaves undefined decode as Latin-1, so no byte is dropped."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("crm_quality_latin1", _latin1_fallback)


@dataclass(frozen=True)
class FileFormat:
    kind: str  # "csv" or "parquet"
    encoding: str | None = None  # a Python codec name, for CSV
    delimiter: str | None = None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text mostly in ASCII has a NUL in every other byte."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    """The codec the bytes are in: utf-8-sig, utf-16 (with BOM), utf-16-le/-be, utf-8 or cp1252.

    "utf-8" may still hold stray non-UTF-8 lines; the reader decodes those line by line.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A prefix may cut a multi-byte character at its end: that is still UTF-8.
        if error.start < len(data) - 3 or error.reason != "unexpected end of data":
            return "utf-8" if _UTF8_MULTIBYTE.search(data) else "cp1252"
    return "utf-8"


def decode(data: bytes, encoding: str) -> str:
    """The whole text of a file in a known single-byte or UTF-16 encoding, BOM removed."""
    errors = "crm_quality_latin1" if encoding == "cp1252" else "replace"
    return data.decode(encoding, errors=errors).removeprefix("\ufeff")


def _split_fields_outside_quotes(line: str) -> Iterator[str]:
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            yield char


def detect_delimiter(header_line: str) -> str:
    """The candidate occurring most often outside quotes in the header; ',' on a tie or none."""
    counts = dict.fromkeys(DELIMITERS, 0)
    for char in _split_fields_outside_quotes(header_line):
        if char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].removesuffix("\r")


def sniff(path: Path) -> tuple[FileFormat, str]:
    """The file's format and, for CSV, its header line as text."""
    with open(path, "rb") as handle:
        prefix = handle.read(HEADER_PREFIX_BYTES)
    if prefix.startswith(PARQUET_MAGIC):
        return FileFormat("parquet"), ""
    encoding = detect_encoding(prefix)
    if encoding in ("utf-8", "cp1252"):
        # Only the header line decides here; the body is judged when the file is read.
        line = prefix.split(b"\n", 1)[0]
        try:
            header = line.decode("utf-8")
        except UnicodeDecodeError:
            header = line.decode("cp1252", errors="crm_quality_latin1")
    else:
        header = _first_line(prefix.decode(encoding, errors="ignore"))
    header = _first_line(header).removeprefix("\ufeff").replace("\x00", "")
    return FileFormat("csv", encoding, detect_delimiter(header)), header
