"""Text cells a spreadsheet opens as text, never as a formula.

The rule of macros/utils/neutralize_formula.sql, for files Python writes: a value starting
with =, @, a tab or a carriage return, or with + or - followed by anything but a number, gets
a leading apostrophe. E.164 phones (+4930...) and negative numbers stay as they are.
python_checks/integration/test_review_formula_rule.py holds the two to the same answers.
"""

from __future__ import annotations

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


def neutralize_formula(value: str | None) -> str | None:
    """`value` as a spreadsheet shows it as text: an apostrophe before a formula."""
    if value is None:
        return None
    return "'" + value if is_formula(value) else value


def restore_formula(value: str) -> str:
    """The value `neutralize_formula` was given: a file written by it, edited and read back
    (a record key of a labels file), compares equal to the warehouse's value. Ambiguous only
    for a value that itself starts with an apostrophe before a formula, which no record key
    (source_name:record id) does."""
    if value.startswith("'") and is_formula(value[1:]):
        return value[1:]
    return value
