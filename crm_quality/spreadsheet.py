"""Files a user opens in a spreadsheet: values that would run as formulas are neutralized.

The rule is macros/utils/neutralize_formula.sql's, for files Python writes: a text starting with
=, @, a tab or a carriage return, or with + or - followed by anything but a number, gets a
leading apostrophe, which spreadsheets show as plain text. E.164 phones (+4930...) and negative
numbers stay as they are.
"""

from __future__ import annotations

import re

import pandas as pd

_FORMULA_START = re.compile(r"[=@\t\r]")
_SIGNED_NON_NUMBER = re.compile(r"[+-].*[^0-9 .()-]")


def neutralize_formula(value: object) -> object:
    """`value` with a leading apostrophe when a spreadsheet would run it as a formula; values
    that are not text (numbers, dates, missing values) are returned as they are."""
    if not isinstance(value, str):
        return value
    if _FORMULA_START.match(value) or _SIGNED_NON_NUMBER.match(value):
        return "'" + value
    return value


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralized."""
    return frame.map(neutralize_formula)
