"""Text cleaning shared by every standardizer.

CRM exports carry stray whitespace (including no-break and ideographic spaces), control
characters from copy-paste, and a zoo of "nothing here" placeholders. Every field goes
through `clean_text` first so the other standardizers only see real values or None.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection

# Field types a placeholder can apply to (the field_type column of
# seeds/placeholder_values.csv; 'any' there means every one of them).
PLACEHOLDER_FIELD_TYPES: tuple[str, ...] = ("name", "email", "phone", "country", "address", "date")

# Placeholders in every field type. Mirrors the seed's 'any' rows (a test keeps them equal);
# the warehouse passes the seed's values explicitly, these defaults serve callers without
# the seeds. The empty string is not listed: it is missing by construction.
DEFAULT_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "-",
        "--",
        "---",
        ".",
        "..",
        "...",
        "?",
        "??",
        "???",
        "*",
        "#",
        "/",
        "0",
        "n/a",
        "n.a.",
        "n.a",
        "n/v",
        "none",
        "<null>",
        "(null)",
        "[null]",
        "undefined",
        "unknown",
        "unbekannt",
        "inconnu",
        "desconocido",
        "tbd",
        "tba",
        "x",
        "xx",
        "xxx",
        "not available",
        "not provided",
        "no data",
        "keine angabe",
        "k.a.",
        "k. a.",
    }
)

# Tokens that are real values in some field types: 'Na' is a Korean surname and 'NA'
# Namibia's code, 'Nil' a Turkish given name, 'Null' a surname.
_PLACEHOLDER_EXCEPT: dict[str, frozenset[str]] = {
    "na": frozenset({"name", "country"}),
    "nil": frozenset({"name"}),
    "null": frozenset({"name"}),
}

DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE: dict[str, frozenset[str]] = {
    field_type: DEFAULT_PLACEHOLDERS
    | {token for token, real_in in _PLACEHOLDER_EXCEPT.items() if field_type not in real_in}
    for field_type in PLACEHOLDER_FIELD_TYPES
}


def default_placeholders(field_type: str) -> frozenset[str]:
    """The built-in placeholders of one field type (see PLACEHOLDER_FIELD_TYPES)."""
    return DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE[field_type]


# Invisible format characters that copy-paste leaves behind: zero-width space, word joiner,
# byte-order mark, soft hyphen. Joiners (ZWJ/ZWNJ) are kept: some scripts need them.
_INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u00ad"}

# Blocks of combining diacritics; only these are stripped as "accents", so Japanese voicing
# marks and Indic vowel signs (also combining marks) survive normalize_key.
_DIACRITIC_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)

_ASCII_NON_WORD_RUN = re.compile(r"[^a-z0-9]+")


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA/NaT, without importing pandas."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas' NA and NaT, recognised by type name so this module needs no pandas.
    return type(value).__name__ in ("NAType", "NaTType")


def _strip_invisible(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(
        ch
        for ch in text
        if ch.isspace() or (ch not in _INVISIBLE and unicodedata.category(ch) != "Cc")
    )


def clean_text(value: object, placeholders: Collection[str] = DEFAULT_PLACEHOLDERS) -> str | None:
    """Trimmed, NFC, single-spaced text, or None when empty or a placeholder.

    Placeholders compare case-insensitively against the already-cleaned text, so
    ' N/A ' and 'NULL' are caught. Non-string values (numbers read by a CSV reader) are
    rendered with str() first.
    """
    if is_missing(value):
        return None
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        # Fast path for the common case: nothing to normalize but the spaces.
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            text = " ".join(text.split())
    else:
        text = unicodedata.normalize("NFC", _strip_invisible(text))
        # str.split() splits on every Unicode space, including NBSP and U+3000.
        text = " ".join(text.split())
    if not text or text.casefold() in placeholders:
        return None
    return text


def _is_diacritic(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _DIACRITIC_RANGES)


def strip_accents(text: str) -> str:
    """Remove diacritics from Latin, Greek and Cyrillic letters ('é'→'e', 'ß' is kept).

    NFKD also folds compatibility forms (full-width letters, ligatures); the result is
    recomposed so Hangul syllables come back whole.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    kept = "".join(ch for ch in decomposed if not _is_diacritic(ch))
    return unicodedata.normalize("NFC", kept)


def normalize_key(value: object) -> str:
    """Lookup key: casefolded, accents stripped, punctuation and spaces collapsed to one space.

    Used for country aliases: 'U.S.A.' becomes 'u s a' and ' USA ' 'usa' (the alias seed
    lists both), 'España' becomes 'espana', and CJK names are kept as written.
    """
    if is_missing(value):
        return ""
    text = value if isinstance(value, str) else str(value)
    # Compatibility forms first ('𝜜' is a capital alpha), then case, then accents.
    text = unicodedata.normalize("NFKD", _strip_invisible(text)).casefold()
    text = strip_accents(text)
    if text.isascii():
        return " ".join(_ASCII_NON_WORD_RUN.sub(" ", text).split())
    # Letters, digits and combining marks (Indic vowel signs, kana voicing) are word parts.
    text = "".join(ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in text)
    return " ".join(text.split())
