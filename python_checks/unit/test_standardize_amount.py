"""parse_amount: decimal points, decimal commas, thousands separators and the ambiguous case."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize.amount import amount_fields, parse_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", "1234.00"),
        (" 10.50 ", "10.50"),
        ("0.05", "0.05"),
        ("10.5555", "10.56"),  # rounded to cents, as before
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("1.234.567,8", "1234567.80"),
        ("1,234,567", "1234567.00"),
        ("1.234.567", "1234567.00"),
        ("12,5", "12.50"),
        ("1234,56", "1234.56"),
        ("-5", "-5.00"),
        ("+7.25", "7.25"),
    ],
)
def test_amounts_written_by_the_rule_parse(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "1,234",  # a thousand or one point two three: ambiguous
        "1.234",
        "999,000",
        "1,2345",  # a decimal comma takes one or two digits
        "1,23,456",  # groups of three only
        "12,34.5",
        "1.234.56",
        "1,234.567,8",
        "1.234,567.8",
        "ten",
        "€10",
        "10 EUR",
        "1e3",
        "n/a",
        ".",
        ",",
        "--5",
        "12345678901234567",  # beyond decimal(18, 2)
    ],
)
def test_amounts_breaking_the_rule_are_invalid(raw):
    assert parse_amount(raw) is None
    assert amount_fields(raw) == (None, "invalid")


def test_status_missing_invalid_valid():
    assert amount_fields(None) == (None, "missing")
    assert amount_fields("   ") == (None, "missing")
    assert amount_fields("-5") == (None, "invalid")
    assert amount_fields("1,234.50") == (Decimal("1234.50"), "valid")


_CENTS = st.integers(min_value=0, max_value=10**15 - 1)


def _grouped(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


@given(_CENTS)
def test_both_separator_styles_read_the_same_amount(cents):
    whole, fraction = divmod(cents, 100)
    expected = Decimal(cents) / 100
    assert parse_amount(f"{_grouped(whole, ',')}.{fraction:02d}") == expected
    assert parse_amount(f"{_grouped(whole, '.')},{fraction:02d}") == expected
    assert parse_amount(f"{whole}.{fraction:02d}") == expected
    assert parse_amount(f"{whole},{fraction:02d}") == expected


@given(st.integers(min_value=1_000, max_value=999_999))
def test_one_separator_before_three_digits_is_never_guessed(whole):
    assert parse_amount(_grouped(whole, ",")) is None
    assert parse_amount(_grouped(whole, ".")) is None


@given(st.integers(min_value=1_000_000, max_value=10**15))
def test_repeated_separators_are_thousands(whole):
    assert parse_amount(_grouped(whole, ",")) == whole
    assert parse_amount(_grouped(whole, ".")) == whole


@given(st.text(alphabet="0123456789.,-+ €$", max_size=12))
def test_any_text_gives_a_cent_amount_or_none(raw):
    amount = parse_amount(raw)
    assert amount is None or amount == amount.quantize(Decimal("0.01"))
