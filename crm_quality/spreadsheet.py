"""Files a user opens in a spreadsheet: values that would run as formulas are neutralized.

The rule is macros/utils/neutralize_formula.sql's, for files Python writes (the review sample,
the merge exports): a text starting with =, @, a tab or a carriage return, or with + or -
followed by anything but a number, gets a leading apostrophe, which spreadsheets show as plain
text. E.164 phones (+4930...) and negative numbers stay as they are.
python_checks/integration/test_review_formula_rule.py holds Python and SQL to the same answers.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = frozenset("=@\t\r")
SIGNS = frozenset("+-")
# What may follow a leading sign in a number or a phone: digits, spaces, dots, parentheses, dashes.
NUMBER_CHARACTERS = frozenset("0123456789 .()-")


def is_formula(text: str) -> bool:
    """A spreadsheet would run `text` as a formula."""
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    return text[0] in SIGNS and any(character not in NUMBER_CHARACTERS for character in text[1:])


def neutralize_formula(value: object) -> object:
    """`value` with a leading apostrophe when a spreadsheet would run it as a formula; values
    that are not text (numbers, dates, missing values) are returned as they are."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """The value `neutralize_formula` was given: a file written by it, edited and read back
    (a record key of a labels file), compares equal to the warehouse's value. Ambiguous only
    for a value that itself starts with an apostrophe before a formula, which no record key
    (source_name:record id) does."""
    if value.startswith("'") and is_formula(value[1:]):
        return value[1:]
    return value


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralized."""
    return frame.map(neutralize_formula)
