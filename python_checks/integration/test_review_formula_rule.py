"""The review file's formula rule (crm_quality.spreadsheet) is the SQL macro's
(macros/utils/neutralize_formula.sql): both give every tricky value the same answer, on DuckDB
and PostgreSQL."""

from __future__ import annotations

import pytest

from crm_quality.spreadsheet import neutralize_formula, restore_formula
from python_checks.integration.test_engine_macros import ENGINES, _run

CORPUS = (
    "=1+1", "=", "@SUM(A1)", "@", "+cmd|' /C calc'!A0", "-cmd", "+", "-", "\tx", "\t", "\rx",
    "\n=1", " =1", "a=b", "plain", "Ölçek", "'=already", "",
    "+4930123456", "+49 30 1234 56", "+1 (555) 123-4567", "+49\n30", "+49\t30", "+1e5",
    "-12.5", "-1", "-0.5 ", "-1,5", "-(3)", "--1", "-1-", "+-1", "+49 30 ext. 5", "-x", "—dash",
)  # fmt: skip


def _literal(value: str) -> str:
    """A portable SQL text literal of `value`, control characters as chr()."""
    pieces, text = [], ""
    for character in value:
        if ord(character) < 32:
            if text:
                pieces.append("'" + text.replace("'", "''") + "'")
            pieces.append(f"chr({ord(character)})")
            text = ""
        else:
            text += character
    if text or not pieces:
        pieces.append("'" + text.replace("'", "''") + "'")
    return "cast(" + " || ".join(pieces) + " as varchar)"


@pytest.mark.parametrize("engine", ENGINES)
def test_python_and_sql_neutralize_alike(engine: str, postgres_env: dict[str, str]) -> None:
    rows = " union all ".join(
        f"select {index} as position, {_literal(value)} as value"
        for index, value in enumerate(CORPUS)
    )
    sql = (
        "select position, value, {{ neutralize_formula('value') }} from (" + rows + ") as corpus"
        " order by position"
    )
    found = _run(sql, engine, postgres_env)
    assert [value for _, value, _ in found] == list(CORPUS)  # the corpus reached SQL whole
    by_sql = {value: neutralized for _, value, neutralized in found}
    by_python = {value: neutralize_formula(value) for value in CORPUS}
    assert by_python == by_sql
    # The corpus exercises both answers, and values read back whole (but one already starting
    # with an apostrophe and a formula, which no record key does).
    assert sum(by_python[value] != value for value in CORPUS) >= 10
    assert sum(by_python[value] == value for value in CORPUS) >= 10
    assert [value for value in CORPUS if restore_formula(by_python[value]) != value] == [
        "'=already"
    ]
