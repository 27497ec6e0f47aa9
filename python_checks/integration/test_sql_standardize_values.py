"""The SQL standardizers of e-mails, dates, timestamps and amounts against the Python ones.

macros/standardize/{emails,dates,amounts}.sql reproduce crm_quality.standardize (email.py,
dates.py, validate.py, amount.py) as the warehouse applies them (frame.py, warehouse.py).
The Python functions are the reference: every distinct raw value the demo generator writes
(at three seeds, both layouts) and hand-made edge cases go through both, on DuckDB and on
PostgreSQL. Required: identical results on both engines, and agreement with Python on every
value except the listed divergences (edge cases the generator never writes). Dates and
timestamps go through once more in each date_order a source may declare (none, month_first,
day_first), keyed by (raw value, order) as the models key them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import psycopg2
import pytest
from psycopg2.extras import execute_values

from crm_quality.standardize import (
    Lookups,
    birth_date_status,
    clean_text,
    is_disposable_domain,
    is_valid_email,
    parse_date,
    standardize_date_column,
    standardize_email,
    standardize_timestamp_column,
)
from crm_quality.standardize.amount import amount_fields
from python_checks.sql_render import compiled_sql
from python_checks.sql_value_corpus import AS_OF, ValueCorpus, edge_cases, generator_values

SEED_DIR = Path(__file__).resolve().parents[2] / "seeds"
EARLIEST = date(1900, 1, 1)
MAX_AGE_YEARS = 120
SLACK_DAYS = 1

# One inline dbt snippet per check; the macros read the tables the test loads.
QUERIES = {
    "email": """{{ standardize_email_values('email_values', 'raw_value',
        placeholders='placeholder_values', disposable_domains='disposable_email_domains') }}""",
    "timestamp": """{{ standardize_timestamp_values('temporal_values', 'raw_value', 'parsed',
        as_of="cast('2026-06-30' as date)", future_slack_days=1,
        placeholders='placeholder_values') }}""",
    "order_date": """{{ standardize_date_values('temporal_values', 'raw_value', 'parsed',
        as_of="cast('2026-06-30' as date)", future_slack_days=1, earliest="'1900-01-01'",
        placeholders='placeholder_values') }}""",
    "birth_date": """{{ standardize_birth_date_values('temporal_values', 'raw_value',
        as_of="cast('2026-06-30' as date)", min_birth_date="'1900-01-01'", max_age_years=120,
        placeholders='placeholder_values') }}""",
    "amount": "{{ standardize_amount_values('amount_values', 'raw_value') }}",
    "timestamp_ordered": """{{ standardize_timestamp_values('ordered_temporal_values',
        'raw_value', 'parsed', as_of="cast('2026-06-30' as date)", future_slack_days=1,
        placeholders='placeholder_values', date_order='date_order') }}""",
    "order_date_ordered": """{{ standardize_date_values('ordered_temporal_values', 'raw_value',
        'parsed', as_of="cast('2026-06-30' as date)", future_slack_days=1,
        earliest="'1900-01-01'", placeholders='placeholder_values', date_order='date_order') }}""",
    "birth_date_ordered": """{{ standardize_birth_date_values('ordered_temporal_values',
        'raw_value', as_of="cast('2026-06-30' as date)", min_birth_date="'1900-01-01'",
        max_age_years=120, placeholders='placeholder_values', date_order='date_order') }}""",
}
CORPUS_KIND = {
    "email": "email",
    "timestamp": "temporal",
    "order_date": "temporal",
    "birth_date": "temporal",
    "amount": "amount",
    "timestamp_ordered": "temporal",
    "order_date_ordered": "temporal",
    "birth_date_ordered": "temporal",
}
# The checks over every temporal value in each date order (the column date_order, as the
# models give it: date_order_key's 'default' for a source declaring none), and the check
# each repeats. Their rows are keyed by (raw value, order).
ORDERED_CHECKS = {
    "timestamp_ordered": "timestamp",
    "order_date_ordered": "order_date",
    "birth_date_ordered": "birth_date",
}
DATE_ORDER_KEYS = ("default", "month_first", "day_first")

# Edge cases where SQL and Python differ (the generator writes none of them): none so far.
KNOWN_DIVERGENCES: set[tuple[str, str]] = set()


# --- the Python reference ------------------------------------------------------------------


def _timestamp(value: object) -> datetime | None:
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _day(value: object) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def python_results(
    check: str, values: list[str | None], lookups: Lookups, date_order: str | None = None
) -> dict:
    """raw value → the tuple the SQL selects, computed the way the warehouse computes it;
    for ORDERED_CHECKS, (raw value, order) → the tuple."""
    if check in ORDERED_CHECKS:
        return {
            (value, order): row
            for order in DATE_ORDER_KEYS
            for value, row in python_results(
                ORDERED_CHECKS[check], values, lookups, None if order == "default" else order
            ).items()
        }
    if check == "email":

        def email_fields(value: str | None) -> tuple:
            email = standardize_email(value, lookups.placeholders("email"))
            if email is None:
                return (None, None, False, "missing")
            if not is_valid_email(email):
                return (None, None, False, "invalid")
            domain = email.rpartition("@")[2]
            return (
                email,
                domain,
                is_disposable_domain(domain, lookups.disposable_domains),
                "valid",
            )

        return {value: email_fields(value) for value in values}
    if check == "amount":
        return {value: amount_fields(value) for value in values}
    if check == "birth_date":

        def birth(value: str | None) -> tuple:
            cleaned = clean_text(value, lookups.placeholders("date"))
            parsed = parse_date(cleaned, date_order)
            status = birth_date_status(
                cleaned, parsed, AS_OF, earliest=EARLIEST, max_age_years=MAX_AGE_YEARS
            )
            return (parsed if status == "valid" else None, status)

        return {value: birth(value) for value in values}
    series = pd.Series(values, dtype=object)
    if check == "timestamp":
        parsed, status = standardize_timestamp_column(
            series, lookups, AS_OF, future_slack_days=SLACK_DAYS, date_order=date_order
        )
        convert: Callable[[object], object] = _timestamp
    else:
        parsed, status = standardize_date_column(
            series,
            lookups,
            AS_OF,
            future_slack_days=SLACK_DAYS,
            earliest=EARLIEST,
            date_order=date_order,
        )
        convert = _day
    return {
        value: (convert(day), text)
        for value, day, text in zip(values, parsed.tolist(), status.tolist(), strict=True)
    }


# --- the engines ---------------------------------------------------------------------------


def _seed_rows(name: str) -> tuple[list[str], list[tuple]]:
    with (SEED_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [tuple(row) for row in reader]


def _tables(corpus: ValueCorpus) -> dict[str, tuple[list[str], list[tuple]]]:
    tables = {name: _seed_rows(name) for name in ("placeholder_values", "disposable_email_domains")}
    for kind, table in (
        ("email", "email_values"),
        ("temporal", "temporal_values"),
        ("amount", "amount_values"),
    ):
        tables[table] = (["raw_value"], [(value,) for value in corpus.values[kind]])
    tables["ordered_temporal_values"] = (
        ["raw_value", "date_order"],
        [(value, order) for value in corpus.values["temporal"] for order in DATE_ORDER_KEYS],
    )
    return tables


def run_duckdb(sql: dict[str, str], corpus: ValueCorpus) -> dict[str, list[tuple]]:
    connection = duckdb.connect()
    connection.execute(f"create table code_points as {CODE_POINTS_SQL}")
    for name, (columns, rows) in _tables(corpus).items():
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        connection.register("loading", frame)
        typed = ", ".join(f"cast({column} as varchar) as {column}" for column in columns)
        connection.execute(f"create table {name} as select {typed} from loading")
        connection.unregister("loading")
    return {check: connection.execute(query).fetchall() for check, query in sql.items()}


def run_postgres(sql: dict[str, str], corpus: ValueCorpus, env: dict[str, str]) -> dict:
    connection = psycopg2.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=env["PGPASSWORD"],
        dbname=env["PGDATABASE"],
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"drop table if exists code_points; create table code_points as {CODE_POINTS_SQL}"
            )
            for name, (columns, rows) in _tables(corpus).items():
                cursor.execute(f"drop table if exists {name}")
                cursor.execute(f"create table {name} ({', '.join(f'{c} text' for c in columns)})")
                execute_values(cursor, f"insert into {name} values %s", rows)
            results = {}
            for check, query in sql.items():
                cursor.execute(query)
                results[check] = cursor.fetchall()
        return results
    finally:
        connection.rollback()
        connection.close()


def compiled_queries(target: str, environment: dict[str, str] | None = None) -> dict[str, str]:
    """Every check's and class's SQL for `target`, rendered in one go."""
    marker = "-- check: "
    queries = QUERIES | CLASS_QUERIES
    inline = "\n".join(f"{marker}{check}\n{query}" for check, query in queries.items())
    parts = compiled_sql(inline, target, environment).split(marker)[1:]
    return dict(part.split("\n", 1) for part in parts)


# Each Unicode code point (no NUL, no surrogates: no engine stores them) as a one-character text.
CODE_POINTS_SQL = """
select code_point, chr(code_point) as letter
from (
    select cast(number as integer) as code_point
    from generate_series(1, 1114111) as numbers (number)
) as numbers
where code_point not between 55296 and 57343
"""
# The classes of macros/standardize/unicode_classes.sql: code points matching each.
_IN_CLASS = "{{ regex_matches('letter', '^[' ~ regex_%s_class() ~ ']$') }}"
CLASS_QUERIES = {
    "alnum": "select code_point from code_points where " + _IN_CLASS % "alnum",
    "letter": "select code_point from code_points where " + _IN_CLASS % "letter",
    "digit": "select code_point, {{ ascii_digits('letter') }} from code_points"
    " where {{ ascii_digits('letter') }} <> letter",
}


def python_classes() -> dict[str, set]:
    """What the same classes are in Python: re's word classes, and \\d read by int()."""
    letters = [chr(code) for code in range(1, 0x110000) if not 0xD800 <= code <= 0xDFFF]
    alnum, letter = re.compile(r"[^\W_]"), re.compile(r"[^\W\d_]")
    return {
        "alnum": {ord(char) for char in letters if alnum.fullmatch(char)},
        "letter": {ord(char) for char in letters if letter.fullmatch(char)},
        "digit": {
            (ord(char), str(unicodedata.digit(char)))
            for char in letters
            if not char.isascii() and re.fullmatch(r"\d", char)
        },
    }


def by_raw_value(rows: Iterable[tuple], key_width: int = 1) -> dict:
    """raw value (or the first `key_width` columns, as a tuple) → the rest of its row."""
    found = {}
    for row in rows:
        raw = row[0] if key_width == 1 else tuple(row[:key_width])
        assert raw not in found, f"{raw!r} standardized twice"
        found[raw] = tuple(row[key_width:])
    return found


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ValueCorpus]:
    return {"generator": generator_values(tmp_path_factory.mktemp("corpus")), "edge": edge_cases()}


@pytest.fixture(scope="module")
def results(
    request: pytest.FixtureRequest, corpora: dict[str, ValueCorpus]
) -> Callable[[str], dict]:
    """engine → {'values': check → {raw value: row}, 'classes': class → code points}, each
    engine run when first asked for, on the values of both corpora at once."""
    found: dict = {}
    every = ValueCorpus()
    for corpus in corpora.values():
        for kind, values in corpus.values.items():
            every.add(kind, values)

    def of(engine: str) -> dict:
        if engine not in found:
            if engine == "duckdb":
                rows = run_duckdb(compiled_queries(engine), every)
            else:
                environment = request.getfixturevalue("postgres_env")
                rows = run_postgres(compiled_queries(engine, environment), every, environment)
            found[engine] = {
                "values": {
                    check: by_raw_value(rows[check], 2 if check in ORDERED_CHECKS else 1)
                    for check in QUERIES
                },
                "classes": {
                    kind: {row if kind == "digit" else row[0] for row in rows[kind]}
                    for kind in CLASS_QUERIES
                },
            }
        return found[engine]

    return of


@pytest.fixture(scope="module")
def reference(corpora: dict[str, ValueCorpus], lookups: Lookups) -> dict:
    """corpus → check → {raw value: Python's row}."""
    return {
        name: {
            check: python_results(
                check, sorted(corpus.values[CORPUS_KIND[check]], key=str), lookups
            )
            for check in QUERIES
        }
        for name, corpus in corpora.items()
    }


def _normalized(check: str, row: tuple) -> tuple:
    if check == "amount":
        amount, status = row
        return (None if amount is None else Decimal(amount), status)
    return tuple(row)


def divergences(found: dict, expected: dict, check: str) -> list[tuple]:
    return [
        (raw, _normalized(check, found.get(raw, ("absent",))), _normalized(check, want))
        for raw, want in expected.items()
        if _normalized(check, found.get(raw, ("absent",))) != _normalized(check, want)
    ]


# --- the checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("check", list(QUERIES))
def test_duckdb_and_postgres_agree_on_every_value(
    results: Callable[[str], dict], check: str
) -> None:
    duck = results("duckdb")["values"][check]
    postgres = results("postgres")["values"][check]
    assert duck.keys() == postgres.keys()
    differing = [
        raw for raw in duck if _normalized(check, duck[raw]) != _normalized(check, postgres[raw])
    ]
    assert differing == [], [(raw, duck[raw], postgres[raw]) for raw in differing[:10]]


@pytest.mark.parametrize("engine", ["duckdb", "postgres"])
@pytest.mark.parametrize("check", list(QUERIES))
def test_sql_agrees_with_python_on_the_generator_values(
    results: Callable[[str], dict], reference: dict, engine: str, check: str
) -> None:
    expected = reference["generator"][check]
    differing = divergences(results(engine)["values"][check], expected, check)
    agreement = 1 - len(differing) / len(expected)
    print(f"{engine} {check}: {len(expected)} distinct values, agreement {agreement:.5f}")
    assert agreement >= 0.999, differing[:10]
    # Valid and invalid values both occur: the agreement is not that of a trivial corpus.
    assert {"valid", "invalid"} <= {row[-1] for row in expected.values()}


@pytest.mark.parametrize("engine", ["duckdb", "postgres"])
@pytest.mark.parametrize("check", list(QUERIES))
def test_sql_agrees_with_python_on_the_edge_cases(
    results: Callable[[str], dict], reference: dict, engine: str, check: str
) -> None:
    kind = CORPUS_KIND[check]
    differing = [
        entry
        for entry in divergences(results(engine)["values"][check], reference["edge"][check], check)
        if (kind, entry[0]) not in KNOWN_DIVERGENCES
    ]
    assert differing == []


@pytest.mark.parametrize("engine", ["duckdb", "postgres"])
def test_unicode_classes_are_pythons_on_every_code_point(
    results: Callable[[str], dict], engine: str
) -> None:
    """Domain label and TLD letters, and digits of other scripts, as Python's re reads them."""
    found = results(engine)["classes"]
    expected = python_classes()
    for kind in CLASS_QUERIES:
        assert found[kind] == expected[kind], (
            kind,
            sorted(found[kind] - expected[kind])[:5],
            sorted(expected[kind] - found[kind])[:5],
        )
