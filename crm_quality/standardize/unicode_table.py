"""The per-character table that lets SQL reproduce the Unicode steps of the standardizers.

DuckDB has no NFKC, NFKD or case folding, and PostgreSQL's lower/upper and regex classes
depend on the database's locale. The SQL macros therefore look characters up in
seeds/unicode_characters.csv, written here from Python's own unicodedata, so every engine
gives the results of `names.name_key`, `text.normalize_key` and the NFKC of `names._prepare`.

Run `python -m crm_quality.standardize.unicode_table seeds/unicode_characters.csv` after a
Python upgrade changes `unicodedata.unidata_version`.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from crm_quality.standardize.text import strip_accents

COLUMNS = ("code_point", "nfkc_form", "name_key_form", "lookup_key_form", "is_letter")

# dbt loads blank CSV cells as null, so a blank form could not be told from an empty one:
# the word separator of lookup keys is written as this character, never itself a key part.
LOOKUP_SEPARATOR = "_"

# Unassigned, private-use and surrogate code points have no properties worth a row.
_SKIPPED_CATEGORIES = frozenset({"Cn", "Co", "Cs"})
_INVISIBLE = frozenset({"\u200b", "\u2060", "\ufeff", "\u00ad"})


def _is_word_part(ch: str, with_digits: bool) -> bool:
    if unicodedata.category(ch)[0] == "M":
        return True
    return ch.isalnum() if with_digits else ch.isalpha()


def name_key_form(ch: str) -> str:
    """What one character contributes to `name_key` (letters and marks, folded)."""
    folded = strip_accents(unicodedata.normalize("NFKC", ch).casefold())
    return "".join(part for part in folded if _is_word_part(part, with_digits=False))


def lookup_key_form(ch: str) -> str:
    """What one character contributes to `normalize_key`; a space separates words."""
    if ch in _INVISIBLE or (unicodedata.category(ch) == "Cc" and not ch.isspace()):
        return ""
    folded = strip_accents(unicodedata.normalize("NFKD", ch).casefold())
    return "".join(
        part if _is_word_part(part, with_digits=True) else LOOKUP_SEPARATOR for part in folded
    )


def rows() -> Iterator[tuple[int, str, str, str, str]]:
    """One row per assigned character whose forms are not the character itself, and per
    non-letter (the Latin-script test needs to know those). The NFKC form is left empty
    where it is the character itself (never otherwise empty) or a space (clean_text has
    made every space a plain one before NFKC), so no control or blank is written."""
    for code_point in range(sys.maxunicode + 1):
        ch = chr(code_point)
        if unicodedata.category(ch) in _SKIPPED_CATEGORIES:
            continue
        nfkc = unicodedata.normalize("NFKC", ch)
        name_key, lookup_key = name_key_form(ch), lookup_key_form(ch)
        if ch.isalpha() and nfkc == name_key == lookup_key == ch:
            continue
        nfkc_form = "" if nfkc == ch or ch.isspace() else nfkc
        yield code_point, nfkc_form, name_key, lookup_key, "true" if ch.isalpha() else "false"


def write(path: str | Path) -> int:
    """Write the seed; returns the number of rows."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows():
            writer.writerow(row)
            count += 1
    return count


if __name__ == "__main__":
    print(write(sys.argv[1]))
