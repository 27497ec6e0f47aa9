"""Corpus and reference for testing the SQL standardizers (macros/standardize) against the
Python ones (crm_quality.standardize.frame): the distinct values the demo generator writes
for the six person fields, hand-made edge cases, the Python result for each value, and the
SQL that computes the same per distinct value.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from crm_quality.demo.generator import DemoConfig, generate
from crm_quality.standardize.frame import (
    Lookups,
    _country_fields,
    _name_fields,
    _postal_code,
    _text_fields,
)
from crm_quality.standardize.names import standardize_place
from crm_quality.standardize.text import clean_text

FIELDS = ("first_name", "last_name", "street_address", "city", "postal_code", "country")

# The seeds the macros read; a test loads them with `dbt seed` as a build would.
SEEDS = ("placeholder_values", "nicknames", "country_aliases", "unicode_characters")

# The macro call per field; each selects from a table `corpus` with a text column `value`.
SQL_BY_FIELD: Mapping[str, str] = {
    "first_name": "{{ crm_quality.standardized_names('corpus', 'value', nicknames=true) }}",
    "last_name": "{{ crm_quality.standardized_names('corpus', 'value') }}",
    "street_address": "{{ crm_quality.standardized_street_addresses('corpus', 'value') }}",
    "city": "{{ crm_quality.standardized_cities('corpus', 'value') }}",
    "postal_code": "{{ crm_quality.standardized_postal_codes('corpus', 'value') }}",
    "country": "{{ crm_quality.standardized_countries('corpus', 'value') }}",
}

_NBSP, _ZWSP, _IDEOGRAPHIC_SPACE = "\u00a0", "\u200b", "\u3000"

# Values where SQL knowingly differs from Python. Unassigned and private-use code points
# have no row in unicode_characters, so SQL takes them for letters of no Latin script: the
# name is not recased and its key keeps them, where Python (not letters) recases the name
# and drops them from the key. A combining mark split from its base by a character the key
# drops is composed with the base in SQL (per-character keys are composed at the end) but
# not in Python: 'か-' + U+3099 is keyed 'が' in SQL, 'か' + U+3099 in Python.
_UNASSIGNED_OR_PRIVATE = ("ANNA\u0378", "anna\ue000")
_MARK_SPLIT_FROM_BASE = ("か-\u3099",)
KNOWN_DIVERGENCES: Mapping[str, frozenset[str]] = {
    "first_name": frozenset(_UNASSIGNED_OR_PRIVATE + _MARK_SPLIT_FROM_BASE),
    "last_name": frozenset(_UNASSIGNED_OR_PRIVATE + _MARK_SPLIT_FROM_BASE),
    "street_address": frozenset(),
    "city": frozenset(_UNASSIGNED_OR_PRIVATE),
    "postal_code": frozenset(),
    "country": frozenset(),
}

# Hand-made values per field: casing, particles, scripts, invisible characters, placeholders.
_NAMES = [
    "JOHN", "john", "John", "McDONALD", "MCDONALD", "mcdonald", "MACDONALD", "mackenzie",
    "MACK", "o'brien", "O'BRIEN", "o’neil", "D'ANGELO", "Jean-Luc", "JEAN-LUC", "jean-luc",
    "MARY-ANN", "VAN DER BERG", "van der berg", "Ludwig van Beethoven", "DE LA CRUZ", "DE",
    "VAN", "maria de la cruz", "LOUIS XIV", "henry viii", "JOHN SMITH III", "IJZERMAN",
    "İSTANBUL", "IŞIK", "ışık", "ＪＯＨＮ", "ｊｏｈｎ", f"JOHN{_NBSP}SMITH", f"jo{_ZWSP}hn",
    f"anna{_IDEOGRAPHIC_SPACE}maria", " \t john \n ", "Jo\u00adhn", "\ufeffAnna", "e\u0301mile",
    "ÉMILE", "ÉLODIE-ANNE", "STRAßE", "ßTRASSE", "ǆURO", "ǄURO", "ǅuro", "ŉ", "ǰ",
    "ﬁona", "ﬂorence", "Ⅻ", "¨anna", "Nil", "NIL", "Na", "NA", "Null", "NULL", "n/a", "N/A",
    "-", "unknown", "UNKNOWN", "none", "???", "", "   ", "0", "x", "tbd", "k. a.", "ſ",
    "王秀英", "김민준", "ｶﾀｶﾅ", "カタカナ", "が", "ЮРИЙ", "юрий", "Юрий", "ΣΟΦΙΑ", "σοφία",
    "Ελένη", "राहुल", "محمد", "Ǹguyễn", "NGUYỄN VĂN AN", "nguyễn văn an", "Hawaiʻi",
    "ʻOLA", "Zoë", "ZOË", "ŁUKASZ", "łukasz", "ØYSTEIN", "Þóra", "ÐORÐE", "François",
    "FRANÇOIS", "dˈangelo", "a--b", "-anna-", "o''brien", "'", "’", "anna-", "123",
    "R2-D2", "JOHN 😀", "Anna\u0301", "q\u0307a", "A\u0308\u0301", "BOB", "bob", "Bobby",
    *_UNASSIGNED_OR_PRIVATE, *_MARK_SPLIT_FROM_BASE,
]  # fmt: skip
_CITIES = [
    "FRANKFURT AM MAIN", "frankfurt am main", "Frankfurt am Main", "LE MANS", "le mans",
    "AIX-EN-PROVENCE", "aix-en-provence", "STRATFORD-UPON-AVON", "SAINT-DENIS",
    "NEWCASTLE UPON TYNE", "DE BILT", "den haag", "'S-HERTOGENBOSCH", "L'AQUILA", "İSTANBUL",
    "ISTANBUL", "MÜNCHEN", "münchen", "KÖLN", "ŁÓDŹ", "MALMÖ", "ZÜRICH", "SÃO PAULO",
    "são paulo", "東京", "Москва", "МОСКВА", "ΑΘΗΝΑ", "Αθήνα", "서울", "ＴＯＫＹＯ",
    f"NEW{_NBSP}YORK", f"new{_ZWSP}york", "n/a", "NA", "Null", "-", "", "  ", "ÎLE-DE-FRANCE",
    "ST. PETERSBURG", "washington, d.c.", "RIO DE JANEIRO", "LES ULIS", "LÈS", "IJSSELSTEIN",
]  # fmt: skip
_STREETS = [
    " Main  St 5 ", "MAIN ST 5", f"Hauptstraße{_NBSP}12", f"Rue de la Paix{_ZWSP} 3",
    "1-2-3 Ginza\u3000Chuo-ku", "Ｍａｉｎ Ｓｔ", "\tElm Street\r\n", "n/a", "N/A", "NA", "null",
    "Null", "-", "", "Straße 1", "ул. Тверская, 7", "Calle Ñandú 3", "unknown",
]  # fmt: skip
_POSTAL_CODES = [
    "10115", " 10115 ", "sw1a 1aa", "SW1A  1AA", "１２３-４５６７", "１０１１５", "h3z 2y7",
    "straße 1", "NA", "na", "null", "n/a", "-", "0", "00000", "", "1234 ab", "ǆ1", "ﬁ1",
    "75008\u200b", "K1A 0B1",
]  # fmt: skip
_COUNTRIES = [
    "DE", "de", "DEU", "Germany", "GERMANY", "Deutschland", "DEUTSCHLAND", "U.S.A.", "USA",
    " usa ", "United States", "The Netherlands", "the netherlands", "Netherlands",
    "NEDERLAND", "España", "ESPAÑA", "espana", "日本", "ニッポン", "Россия", "РОССИЯ",
    "Ελλάδα", "ΕΛΛΆΔΑ", "대한민국", "中国", "Côte d’Ivoire", "COTE D'IVOIRE", "Türkiye",
    "TÜRKİYE", "Österreich", "ÖSTERREICH", "Schweiz", "Suisse", "NA", "na", "Namibia",
    "Null", "nil", "n/a", "-", "", "Narnia", "Atlantis", "Congo", "U.K.", "UK", "GB",
    "Great Britain", "ＪＰ", "ＵＳＡ", f"United{_NBSP}Kingdom", f"Fra{_ZWSP}nce", "Frankreich",
    "the usa", "THE GAMBIA", "Gambia", "भारत", "مصر", "ישראל", "ไทย", "Việt Nam",
    "fra\u0307nce", "Deutsch\u0301land",
]  # fmt: skip

EDGE_CASES: Mapping[str, tuple[str, ...]] = {
    "first_name": tuple(_NAMES),
    "last_name": tuple(_NAMES),
    "street_address": tuple(_STREETS + _CITIES),
    "city": tuple(_CITIES + _NAMES),
    "postal_code": tuple(_POSTAL_CODES),
    "country": tuple(_COUNTRIES),
}

# The raw columns of each field in the generator's files.
_GENERATED_FILES = ("crm_contacts.csv", "billing_customers.csv")


def generator_corpus(out_dir: Path, seeds: Iterable[int], people: int) -> dict[str, set[str]]:
    """Every distinct value the demo generator writes for each field, over `seeds`."""
    values: dict[str, set[str]] = {field: set() for field in FIELDS}
    for seed in seeds:
        raw = out_dir / f"seed{seed}"
        generate(DemoConfig(people=people, seed=seed, leads=people // 4), raw)
        for name in _GENERATED_FILES:
            with (raw / name).open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    for field in FIELDS:
                        values[field].add(row[field])
    return values


Result = tuple[str | None, ...]


def python_reference(lookups: Lookups) -> Mapping[str, Callable[[str], Result]]:
    """frame.py's per-value rule for each field, in the column order of SQL_BY_FIELD's
    results (standardized value, [name key,] status)."""
    address = lookups.placeholders("address")
    return {
        "first_name": lambda value: _name_fields(value, lookups, lookups.nicknames),
        "last_name": lambda value: _name_fields(value, lookups, None),
        "street_address": lambda value: _text_fields(clean_text(value, address)),
        "city": lambda value: _text_fields(standardize_place(value, address)),
        "postal_code": lambda value: _postal_code(value, lookups),
        "country": lambda value: _country_fields(value, lookups),
    }


@dataclass(frozen=True)
class Divergence:
    """A value whose SQL result differs from Python's."""

    value: str
    python: Result
    sql: Result | None


def divergences(
    values: Iterable[str], reference: Callable[[str], Result], sql: Mapping[str, Result]
) -> list[Divergence]:
    """The values where the SQL result (by raw value) is not Python's."""
    found = []
    for value in sorted(set(values)):
        expected = tuple(reference(value))
        actual = sql.get(value)
        if actual != expected:
            found.append(Divergence(value, expected, actual))
    return found
