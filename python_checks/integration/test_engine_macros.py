"""The portable engine macros (macros/engines/{types,numbers,lists,json}.sql, safe_cast) give
the same values on DuckDB and PostgreSQL, and the values Python computes."""

from __future__ import annotations

import json
import statistics
from contextlib import closing

import duckdb
import psycopg
import pytest

from python_checks.sql_render import compiled_sql

ENGINES = ("duckdb", "postgres")
LISTS = ([1.0], [3.0, 1.0], [5.0, 1.0, 2.5, 9.0], [0.1, 0.2, 0.3, 0.4, 100.0], [2.0] * 12)


def _run(sql_template: str, engine: str, postgres_env: dict[str, str]) -> list[tuple]:
    sql = compiled_sql(sql_template, engine, postgres_env if engine == "postgres" else None)
    if engine == "duckdb":
        with closing(duckdb.connect()) as connection:
            return connection.execute(sql).fetchall()
    with psycopg.connect(
        host=postgres_env["PGHOST"], port=postgres_env["PGPORT"],
        user=postgres_env["PGUSER"], dbname=postgres_env["PGDATABASE"],
    ) as connection:  # fmt: skip
        return connection.execute(sql).fetchall()


def _number(value: float) -> str:
    return f"cast({value} as double precision)"


def _list_literal(values: list[float]) -> str:
    """A Jinja expression building the list with the macros themselves."""
    expression = f"double_list_of('{_number(values[0])}')"
    for value in values[1:]:
        expression = f"list_appended({expression}, '{_number(value)}')"
    return f"{{{{ {expression} }}}}"


@pytest.mark.parametrize("engine", ENGINES)
def test_list_statistics_match_python(engine: str, postgres_env: dict[str, str]) -> None:
    for values in LISTS:
        listed = _list_literal(values)
        sql = (
            f"select {{{{ list_length('items') }}}}, {{{{ list_median('items') }}}},"
            f" {{{{ list_median_absolute_deviation('items') }}}},"
            f" {{{{ list_length(list_last('items', 3)) }}}},"
            f" {{{{ list_median(list_last('items', 3)) }}}},"
            f" {{{{ list_length(list_appended(empty_double_list(), '{_number(1.5)}')) }}}}"
            f" from (select {listed} as items) as lists"
        )
        ((length, median, mad, last_length, last_median, appended_length),) = _run(
            sql, engine, postgres_env
        )
        deviations = [abs(value - statistics.median(values)) for value in values]
        assert (length, last_length, appended_length) == (len(values), min(3, len(values)), 1)
        assert median == pytest.approx(statistics.median(values))
        assert mad == pytest.approx(statistics.median(deviations))
        assert last_median == pytest.approx(statistics.median(values[-3:]))


@pytest.mark.parametrize("engine", ENGINES)
def test_rounding_types_and_safe_casts(engine: str, postgres_env: dict[str, str]) -> None:
    sql = (
        "select {{ round_double('cast(2.345678 as ' ~ type_double() ~ ')', 4) }},"
        " {{ round_double('cast(-0.00004 as ' ~ type_double() ~ ')', 4) }},"
        " {{ safe_cast('decimal_text', 'double precision') }},"
        " {{ safe_cast('comma_text', 'integer') }},"
        " {{ safe_cast('day_text', 'date') }}, {{ safe_cast('3', 'integer') }},"
        " cast({{ safe_cast('day_text', 'date') }} as {{ type_timestamp_seconds() }})"
        # From a table function: PostgreSQL would evaluate casts of literals while planning.
        " from unnest(array['12.5']) as decimals (decimal_text)"
        " cross join unnest(array['12,5']) as commas (comma_text)"
        " cross join unnest(array['2024-02-29']) as days (day_text)"
    )
    ((rounded, rounded_to_zero, number, refused, day, integer, midnight),) = _run(
        sql, engine, postgres_env
    )
    assert (rounded, abs(rounded_to_zero), number, refused) == (2.3457, 0.0, 12.5, None)
    assert (day.isoformat(), integer) == ("2024-02-29", 3)
    assert midnight.isoformat() == "2024-02-29T00:00:00"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_row_as_json_text(engine: str, postgres_env: dict[str, str]) -> None:
    sql = (
        "select {{ row_to_json_text('failed') }} from"
        " (select 'Müller' as last_name, 3 as failures, cast(null as varchar) as email) as failed"
    )
    ((text,),) = _run(sql, engine, postgres_env)
    assert json.loads(text) == {"last_name": "Müller", "failures": 3, "email": None}


@pytest.mark.parametrize("engine", ENGINES)
def test_repeated_combinations_are_exactly_those_that_repeat(
    engine: str, postgres_env: dict[str, str]
) -> None:
    """The unique_combination_of_columns test's query (DuckDB prefilters by a hash): nulls
    repeat like values, and a combination differing in one column is not a repeat."""
    rows = (
        "(1, 'a', 'x'), (1, 'a', 'x'), (1, 'a', 'x'), (1, 'a', 'y'), (2, 'a', 'x'),"
        " (3, null, 'x'), (3, null, 'x'), (null, 'b', null), (4, 'b', null)"
    )
    relation = f"(select * from (values {rows}) as listed (n, letter, mark)) as listed"
    sql = f"{{{{ repeated_combinations(\"{relation}\", ['n', 'letter', 'mark']) }}}}"
    repeated = sorted(_run(sql, engine, postgres_env), key=repr)
    assert repeated == [(1, "a", "x", 3), (3, None, "x", 2)]
