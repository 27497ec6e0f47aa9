"""clean_text and normalize_key: whitespace, control characters, placeholders, lookup keys."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import DEFAULT_PLACEHOLDERS, clean_text, normalize_key
from crm_quality.standardize.text import default_placeholders


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Anna  ", "Anna"),
        ("Anna\u00a0Maria", "Anna Maria"),  # no-break space
        ("山田\u3000太郎", "山田 太郎"),  # ideographic space
        ("a \t\n\r b", "a b"),
        ("Jo\x00hn\x07", "John"),  # NUL and bell from broken exports
        ("Jo\u200bhn\ufeff", "John"),  # zero-width space, byte-order mark
        ("Mu\u0308ller", "Müller"),  # decomposed umlaut becomes NFC
        ("Jos\u00e9", "José"),
        (12345, "12345"),
        ("0049 30 1234567", "0049 30 1234567"),
    ],
)
def test_clean_text_normalizes(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        math.nan,
        pd.NA,
        pd.NaT,
        "",
        "   ",
        "\u00a0\u3000",
        "NULL",
        "null",
        " Null ",
        "N/A",
        "n/a",
        "NA",
        "-",
        "--",
        "None",
        "NONE",
        "nil",
        "Unknown",
        "?",
        "TBD",
        "n.a.",
        "x",
        "X",
        "\x00",
    ],
)
def test_clean_text_turns_nothing_into_none(raw):
    assert clean_text(raw, default_placeholders("email")) is None
    if not isinstance(raw, str) or raw.strip().casefold() not in ("null", "na", "nil"):
        assert clean_text(raw) is None


def test_clean_text_uses_given_placeholders_only():
    assert clean_text("n/a", placeholders=frozenset()) == "n/a"
    assert clean_text("leer", placeholders=frozenset({"leer"})) is None
    assert clean_text("  ", placeholders=frozenset()) is None


def test_real_names_are_not_placeholders():
    for name in ("Nan", "Tess", "Nix", "Ng", "Al", "Ed", "Na", "Nil", "Null"):
        assert name.casefold() not in DEFAULT_PLACEHOLDERS
        assert name.casefold() not in default_placeholders("name")
        assert clean_text(name, default_placeholders("name")) == name


def test_na_nil_null_are_placeholders_where_no_value_is_written_so():
    for token in ("NA", "Nil", "NULL"):
        assert clean_text(token, default_placeholders("email")) is None
        assert clean_text(token, default_placeholders("phone")) is None
    assert clean_text("NA", default_placeholders("country")) == "NA"  # Namibia
    assert clean_text("NULL", default_placeholders("country")) is None


@given(st.text())
def test_clean_text_is_idempotent_and_tidy(raw):
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    if cleaned is not None:
        assert cleaned == cleaned.strip()
        assert "  " not in cleaned
        assert cleaned.isprintable() or all(
            ch.isprintable() or ch == " " or not ch.isspace() for ch in cleaned
        )
        assert "\x00" not in cleaned


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("U.S.A.", "u s a"),
        ("  USA ", "usa"),
        ("United   States of America", "united states of america"),
        ("España", "espana"),
        ("ÖSTERREICH", "osterreich"),
        ("Straße", "strasse"),
        ("Côte d'Ivoire", "cote d ivoire"),
        ("ＤＥ", "de"),  # full-width letters
        ("中国", "中国"),
        ("中华人民共和国", "中华人民共和国"),
        ("ドイツ", "ドイツ"),  # kana voicing marks are not accents
        ("한국", "한국"),  # Hangul comes back composed
        ("Россия", "россия"),
        ("भारत", "भारत"),  # Devanagari vowel signs stay
        ("Bosnia_and-Herzegovina", "bosnia and herzegovina"),
        (None, ""),
    ],
)
def test_normalize_key(raw, expected):
    assert normalize_key(raw) == expected


@given(st.text())
def test_normalize_key_is_idempotent(raw):
    key = normalize_key(raw)
    assert normalize_key(key) == key
    assert key == key.strip()
    assert "  " not in key
