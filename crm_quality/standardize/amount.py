"""Order amounts written with decimal points, decimal commas and thousands separators.

The rule (README, "What happens to bad data"), after trimming and an optional sign:
- digits with an optional '.' decimal part: '1234', '1234.5', '0.05';
- both ',' and '.': the rightmost is the decimal separator and the other must group the
  digits in threes: '1,234.50', '1.234,50', '1,234,567.89';
- one separator repeated between groups of three digits is a thousands separator:
  '1,234,567', '1.234.567';
- a single ',' followed by one or two digits is a decimal comma: '12,5', '1234,56';
- a single separator followed by exactly three digits ('1,234', '1.234') is a thousand in
  one country and a fraction in another: ambiguous, so invalid;
- anything else is invalid.
Amounts are rounded to cents (half away from zero), as a decimal(18, 2) cast would.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from crm_quality.standardize.text import clean_text
from crm_quality.standardize.validate import INVALID, MISSING, VALID

_CENT = Decimal("0.01")
# decimal(18, 2): at most 16 digits before the point.
_LIMIT = Decimal(10) ** 16

_SIGNED = re.compile(r"(?P<sign>[+-]?)\s*(?P<body>[\d.,]+)")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_AMBIGUOUS = re.compile(r"\d+[.,]\d{3}")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_GROUPED = {
    separator: re.compile(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+") for separator in ",."
}


def _unsigned(body: str) -> str | None:
    """The amount as plain '1234.56' text, or None when it breaks the rule."""
    commas, points = body.count(","), body.count(".")
    if commas and points:
        decimal_at = max(body.rfind(","), body.rfind("."))
        grouping = "." if body[decimal_at] == "," else ","
        whole, fraction = body[:decimal_at], body[decimal_at + 1 :]
        if not fraction.isdigit() or not _GROUPED[grouping].fullmatch(whole):
            return None
        return whole.replace(grouping, "") + "." + fraction
    if commas + points > 1:
        separator = "," if commas else "."
        return body.replace(separator, "") if _GROUPED[separator].fullmatch(body) else None
    if _AMBIGUOUS.fullmatch(body):
        return None
    if _DECIMAL_COMMA.fullmatch(body):
        return body.replace(",", ".")
    return body if _PLAIN.fullmatch(body) else None


def parse_amount(value: object) -> Decimal | None:
    """The amount rounded to cents, or None when missing or not written by the rule."""
    text = clean_text(value, placeholders=())
    if text is None:
        return None
    match = _SIGNED.fullmatch(text)
    if match is None:
        return None
    plain = _unsigned(match["body"])
    if plain is None:
        return None
    amount = Decimal(plain).quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount >= _LIMIT:
        return None
    return -amount if match["sign"] == "-" else amount


def amount_fields(value: object) -> tuple[Decimal | None, str]:
    """(amount, status): 'missing' when blank; 'invalid' when unreadable or negative."""
    if clean_text(value, placeholders=()) is None:
        return None, MISSING
    amount = parse_amount(value)
    if amount is None or amount < 0:
        return None, INVALID
    return amount, VALID
