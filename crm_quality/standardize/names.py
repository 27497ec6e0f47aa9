"""Person and place names: display casing and match keys.

Exports arrive in CAPS or lower case; display casing restores the usual form of Latin-script
names. Casing is only repaired where it is clearly lost (a word entirely upper or lower
case), so deliberate forms such as 'McDonald', 'DeVito' or 'van Gogh' are left alone. Names
in scripts without the Latin alphabet are returned as written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping

from crm_quality.standardize.text import (
    clean_text,
    default_placeholders,
    is_missing,
    strip_accents,
)

# Lower-case particles of surnames ('Ludwig van Beethoven', 'Maria de la Cruz'). They stay
# lower case unless they end the name: a surname 'De' or 'Van' on its own is capitalized.
NAME_PARTICLES: frozenset[str] = frozenset(
    {
        "af",
        "av",
        "bin",
        "da",
        "das",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "ibn",
        "la",
        "le",
        "ten",
        "ter",
        "van",
        "vom",
        "von",
        "y",
        "zu",
        "zum",
        "zur",
    }
)

# Connecting words inside place names ('Frankfurt am Main', 'Aix-en-Provence',
# 'Stratford-upon-Avon'). A place name's first word is always capitalized ('Le Mans').
PLACE_CONNECTORS: frozenset[str] = NAME_PARTICLES | frozenset(
    {"am", "an", "and", "im", "in", "lès", "les", "of", "on", "sous", "sur", "upon", "en"}
)

_ROMAN_NUMERALS = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix"})

# 'Mac' is a prefix only in these; 'Mack', 'Macy', 'Machado' would be wrong as 'MacK...'.
_MAC_NAMES = frozenset(
    {
        "macarthur",
        "macaulay",
        "macdonald",
        "macdougall",
        "macgregor",
        "macintosh",
        "mackay",
        "mackenzie",
        "mackinnon",
        "maclean",
        "macleod",
        "macmillan",
        "macneil",
        "macpherson",
    }
)

_APOSTROPHES = "'\u2019"


def _is_latin_letter(ch: str) -> bool:
    """Latin letters live in these blocks (Basic Latin to Latin Extended-B, IPA, Extended
    Additional); a quick range test beats looking up the character name."""
    code = ord(ch)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F


def is_latin_script(text: str) -> bool:
    """True when every letter in `text` is Latin (digits and punctuation don't count)."""
    return all(_is_latin_letter(ch) for ch in text if ch.isalpha())


def _lower(text: str) -> str:
    # 'İ'.lower() is 'i' plus a combining dot; Turkish names want the plain 'i'.
    return text.lower().replace("i\u0307", "i")


def _capitalize(segment: str) -> str:
    lower = _lower(segment)
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    if lower in _MAC_NAMES:
        return "Mac" + lower[3:].capitalize()
    if lower.startswith("ij"):  # Dutch digraph: 'IJsselmeer', 'IJzerman'
        return "IJ" + lower[2:]
    if lower in _ROMAN_NUMERALS:
        return lower.upper()
    return lower[:1].title() + lower[1:]


def _case_apostrophe_part(part: str) -> str:
    # "o'brien" -> "O'Brien", "d'angelo" -> "D'Angelo"; split on both ASCII and typographic.
    pieces: list[str] = []
    start = 0
    for index, ch in enumerate(part):
        if ch in _APOSTROPHES:
            pieces.append(_capitalize(part[start:index]) + ch)
            start = index + 1
    pieces.append(_capitalize(part[start:]))
    return "".join(pieces)


def _lost_case(word: str) -> bool:
    """A word whose casing carries no information: all upper or all lower."""
    return word.isupper() or word.islower()


def _case_word(word: str, lower_words: frozenset[str], inner: bool) -> str:
    if not _lost_case(word):
        return word
    if inner and _lower(word) in lower_words:
        return _lower(word)
    segments = word.split("-")
    last = len(segments) - 1
    return "-".join(
        # Hyphen-joined connectors stay lower: 'Aix-en-Provence'.
        _lower(segment)
        if 0 < index < last and _lower(segment) in lower_words
        else _case_apostrophe_part(segment)
        for index, segment in enumerate(segments)
    )


def _recase(text: str, lower_words: frozenset[str], first_word_lower: bool) -> str:
    words = text.split(" ")
    last = len(words) - 1
    cased = " ".join(
        _case_word(word, lower_words, inner=(index < last and (index > 0 or first_word_lower)))
        for index, word in enumerate(words)
    )
    # Case mapping can decompose ('İ'.lower() is 'i' + a combining dot); recompose.
    return unicodedata.normalize("NFC", cased)


def _prepare(value: object, placeholders: Collection[str]) -> str | None:
    text = clean_text(value, placeholders)
    if text is None:
        return None
    # NFKC folds full-width romaji ('ＪＯＨＮ') and half-width kana from Japanese systems;
    # it can also produce spaces ('¨' becomes space + diaeresis), so clean again.
    return clean_text(unicodedata.normalize("NFKC", text), placeholders)


def standardize_name(
    value: object, placeholders: Collection[str] = default_placeholders("name")
) -> str | None:
    """Display form of a person's name: 'JOHN' → 'John', 'VAN DER BERG' → 'van der Berg'.

    Idempotent; non-Latin names are only cleaned.
    """
    text = _prepare(value, placeholders)
    if text is None or not is_latin_script(text):
        return text
    return _recase(text, NAME_PARTICLES, first_word_lower=True)


def standardize_place(
    value: object, placeholders: Collection[str] = default_placeholders("address")
) -> str | None:
    """Display form of a city: 'FRANKFURT AM MAIN' → 'Frankfurt am Main', 'LE MANS' → 'Le Mans'."""
    text = _prepare(value, placeholders)
    if text is None or not is_latin_script(text):
        return text
    return _recase(text, PLACE_CONNECTORS, first_word_lower=False)


def name_key(value: object, nicknames: Mapping[str, str] | None = None) -> str | None:
    """Comparison key: lower case, no accents, letters only ('Jean-Luc' → 'jeanluc').

    With `nicknames`, a known nickname is replaced by its canonical name ('Bob' → 'robert'),
    so matching treats them as the same first name. Letters of any script are kept.
    """
    if is_missing(value):
        return None
    text = strip_accents(unicodedata.normalize("NFKC", str(value)).casefold())
    key = "".join(ch for ch in text if ch.isalpha() or unicodedata.category(ch)[0] == "M")
    if not key:
        return None
    if nicknames:
        return nicknames.get(key, key)
    return key
