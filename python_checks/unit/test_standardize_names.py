"""Display casing of names and places; comparison keys with nicknames."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import name_key, standardize_name, standardize_place


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JOHN", "John"),
        ("john", "John"),
        ("  jOhN ", "jOhN"),  # mixed case is taken as deliberate
        ("mcdonald", "McDonald"),
        ("MCDONALD", "McDonald"),
        ("McDonald", "McDonald"),
        ("macdonald", "MacDonald"),
        ("mack", "Mack"),  # not every 'Mac' is a prefix
        ("o'brien", "O'Brien"),
        ("O\u2019NEILL", "O\u2019Neill"),
        ("jean-luc", "Jean-Luc"),
        ("JEAN-LUC", "Jean-Luc"),
        ("VAN DER BERG", "van der Berg"),
        ("van der berg", "van der Berg"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Vincent Van Gogh", "Vincent Van Gogh"),
        ("DE LA CRUZ", "de la Cruz"),
        ("DE", "De"),  # a particle alone is the surname
        ("müller", "Müller"),
        ("MÜLLER", "Müller"),
        ("JOSÉ MARÍA", "José María"),
        ("ÇELİK", "Çelik"),
        ("John SMITH", "John Smith"),
        ("henry viii", "Henry VIII"),
        ("ijzerman", "IJzerman"),
        ("ＪＯＨＮ", "John"),  # full-width romaji
        ("李小龙", "李小龙"),
        ("山田\u3000太郎", "山田 太郎"),
        ("やまだ", "やまだ"),
        ("ИВАН", "ИВАН"),  # non-Latin scripts are not recased
        ("김민준", "김민준"),
        (" n/a ", None),
        ("NULL", "Null"),  # a surname
        ("NA", "Na"),  # a Korean surname
        ("nil", "Nil"),  # a Turkish given name
        ("unknown", None),
        (None, None),
    ],
)
def test_standardize_name(raw, expected):
    assert standardize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BERLIN", "Berlin"),
        ("new york", "New York"),
        ("FRANKFURT AM MAIN", "Frankfurt am Main"),
        ("aix-en-provence", "Aix-en-Provence"),
        ("STRATFORD-UPON-AVON", "Stratford-upon-Avon"),
        ("LE MANS", "Le Mans"),
        ("rio de janeiro", "Rio de Janeiro"),
        ("münchen", "München"),
        ("東京", "東京"),
        ("-", None),
    ],
)
def test_standardize_place(raw, expected):
    assert standardize_place(raw) == expected


@given(st.text())
def test_standardize_name_is_idempotent(raw):
    once = standardize_name(raw)
    assert standardize_name(once) == once


@given(st.text())
def test_standardize_place_is_idempotent(raw):
    once = standardize_place(raw)
    assert standardize_place(once) == once


_LATIN_NAME = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèñç'-", min_size=1, max_size=12),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(_LATIN_NAME)
def test_casing_does_not_depend_on_the_case_it_arrived_in(name):
    assert standardize_name(name.upper()) == standardize_name(name.lower())


NICKNAMES = {"bob": "robert", "sepp": "josef", "kate": "katherine"}


@pytest.mark.parametrize(
    ("raw", "nicknames", "expected"),
    [
        ("Jean-Luc", None, "jeanluc"),
        ("O'Brien", None, "obrien"),
        ("van der Berg", None, "vanderberg"),
        ("Müller", None, "muller"),
        ("José", None, "jose"),
        ("ＪＯＨＮ", None, "john"),
        ("山田 太郎", None, "山田太郎"),
        ("김민준", None, "김민준"),
        ("Bob", NICKNAMES, "robert"),
        ("BOB", NICKNAMES, "robert"),
        ("Bob", None, "bob"),
        ("Sepp", NICKNAMES, "josef"),
        ("Robert", NICKNAMES, "robert"),
        ("123", None, None),
        (None, NICKNAMES, None),
    ],
)
def test_name_key(raw, nicknames, expected):
    assert name_key(raw, nicknames) == expected


def test_name_key_uses_the_seeded_nicknames(lookups):
    assert name_key("Bill", lookups.nicknames) == "william"
    assert name_key("Hans", lookups.nicknames) == "johann"
    assert name_key("Kate", lookups.nicknames) == "katherine"
    assert name_key("Pepe", lookups.nicknames) == "jose"
    assert name_key("Johannes", lookups.nicknames) == "johann"  # spelling variant
    assert name_key("Alex", lookups.nicknames) == "alexander"  # the more common reading
    assert name_key("Alexandra", lookups.nicknames) == "alexandra"
