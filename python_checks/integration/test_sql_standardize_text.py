"""The SQL standardizers of names, streets, cities, postal codes and countries
(macros/standardize) give the Python results (crm_quality.standardize.frame) on every
distinct value the demo generator writes, and the same results on DuckDB and PostgreSQL.

The seeds they read are loaded with `dbt seed`, as a build loads them; the Python reference
uses the same loaded tables.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import duckdb
import pandas as pd
import psycopg
import pytest

from crm_quality.connect import duckdb_profile_config
from crm_quality.standardize import names
from crm_quality.standardize.frame import Lookups
from crm_quality.standardize.unicode_table import rows as unicode_rows
from python_checks.sql_render import compiled_sql, load_seeds, render_duckdb_path
from python_checks.sql_standardize_corpus import (
    EDGE_CASES,
    FIELDS,
    KNOWN_DIVERGENCES,
    SEEDS,
    SQL_BY_FIELD,
    divergences,
    generator_corpus,
    python_reference,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, set[str]]:
    return generator_corpus(tmp_path_factory.mktemp("corpus"), seeds=(7, 11, 23), people=2000)


@pytest.fixture(scope="module")
def duckdb_connection(tmp_path_factory):
    """The seeds as `dbt seed` loaded them, in a file of the module's own: sql_render compiles
    ref() to the database "render" (its DuckDB file's name), and other tests use its file."""
    path = tmp_path_factory.mktemp("duckdb") / "render.duckdb"
    load_seeds(SEEDS)
    with duckdb.connect(str(render_duckdb_path()), config=duckdb_profile_config()) as loaded:
        loaded.execute(f"attach '{path}' as module_copy")
        for seed in SEEDS:
            loaded.execute(f"create table module_copy.main.{seed} as select * from main.{seed}")
        loaded.execute("detach module_copy")
    connection = duckdb.connect(str(path))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def postgres_connection(module_postgres_env, duckdb_connection):
    """PostgreSQL with the seed tables copied from DuckDB, so both engines read the same
    rows and any difference is the macros'. (`dbt seed` on PostgreSQL reads the CSVs through
    agate, which takes the text 'null' for a null; DuckDB's COPY keeps it.)"""
    postgres_env = module_postgres_env
    with psycopg.connect(
        host=postgres_env["PGHOST"], port=postgres_env["PGPORT"],
        user=postgres_env["PGUSER"], dbname=postgres_env["PGDATABASE"], autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute("create schema if not exists main")
        for seed in SEEDS:
            _copy_table(duckdb_connection, connection, seed)
        yield connection, postgres_env


_PG_TYPES = {"INTEGER": "integer", "BOOLEAN": "boolean", "VARCHAR": "text"}


def _copy_table(source, target, name: str) -> None:
    described = source.sql(f"select * from main.{name}")
    columns = [f"{column} {_PG_TYPES[str(kind)]}" for column, kind in zip(
        described.columns, described.types, strict=True)]  # fmt: skip
    target.execute(f"create table main.{name} ({', '.join(columns)})")
    with target.cursor().copy(f"copy main.{name} from stdin") as copy:
        for row in described.fetchall():
            copy.write_row(row)


@pytest.fixture(scope="module")
def loaded_lookups(duckdb_connection) -> Lookups:
    """Lookups from the seed tables as dbt loaded them (what the warehouse model sees)."""
    frames = {
        name: duckdb_connection.sql(f"select * from main.{name}").df()
        for name in ("placeholder_values", "country_aliases", "nicknames")
    }
    return Lookups.from_frames(
        placeholders=frames["placeholder_values"],
        country_aliases=frames["country_aliases"],
        nicknames=frames["nicknames"],
        disposable_domains=pd.DataFrame({"domain": []}),
    )


def _duckdb_results(connection, field: str, values) -> dict[str, tuple]:
    connection.execute("create or replace temp table corpus (value varchar)")
    connection.execute("insert into corpus select unnest(?::varchar[])", [sorted(set(values))])
    rows = connection.sql(compiled_sql(SQL_BY_FIELD[field], "duckdb")).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _postgres_results(postgres, field: str, values) -> dict[str, tuple]:
    connection, environment = postgres
    connection.execute("drop table if exists corpus")
    connection.execute("create temp table corpus (value text)")
    with connection.cursor() as cursor:
        cursor.executemany("insert into corpus values (%s)", [(value,) for value in set(values)])
    sql = compiled_sql(SQL_BY_FIELD[field], "postgres", environment)
    return {row[0]: tuple(row[1:]) for row in connection.execute(sql).fetchall()}


@pytest.mark.parametrize("field", FIELDS)
def test_generator_values_agree_with_python(field, corpus, duckdb_connection, loaded_lookups):
    values = corpus[field] - {""}  # '' is no value in a warehouse table (loaded as null)
    sql = _duckdb_results(duckdb_connection, field, values)
    found = divergences(values, python_reference(loaded_lookups)[field], sql)
    agreement = 1 - len(found) / len(values)
    print(f"{field}: {len(values)} distinct values, agreement {agreement:.5%}", found[:20])
    assert agreement >= 0.999, found[:20]


@pytest.mark.parametrize("field", FIELDS)
def test_edge_cases_agree_with_python(field, duckdb_connection, loaded_lookups):
    values = set(EDGE_CASES[field]) - {""}
    sql = _duckdb_results(duckdb_connection, field, values)
    found = divergences(values, python_reference(loaded_lookups)[field], sql)
    for divergence in found:
        print(field, divergence)
    assert {divergence.value for divergence in found} == KNOWN_DIVERGENCES[field]


@pytest.mark.parametrize("field", FIELDS)
def test_postgres_gives_the_duckdb_results(field, corpus, duckdb_connection, postgres_connection):
    values = (corpus[field] | set(EDGE_CASES[field])) - {""}
    on_duckdb = _duckdb_results(duckdb_connection, field, values)
    on_postgres = _postgres_results(postgres_connection, field, values)
    differing = sorted(value for value in values if on_duckdb.get(value) != on_postgres.get(value))
    assert differing == [], [(v, on_duckdb.get(v), on_postgres.get(v)) for v in differing[:20]]
    assert len(on_duckdb) == len(values)


def _rendered_list(macro: str) -> list[str]:
    return compiled_sql(f"{{{{ crm_quality.{macro}() | join('|') }}}}", "duckdb").split("|")


def test_word_lists_are_those_of_names_py():
    assert set(_rendered_list("name_particles")) == names.NAME_PARTICLES
    assert set(_rendered_list("place_connectors")) == names.PLACE_CONNECTORS
    assert set(_rendered_list("roman_numerals")) == names._ROMAN_NUMERALS
    assert set(_rendered_list("mac_names")) == names._MAC_NAMES


def _latin_letters() -> list[str]:
    return [
        chr(code)
        for code in [*range(0x250), *range(0x1E00, 0x1F00), *range(0x2C60, 0x2C80)]
        if chr(code).isalpha()
    ]


def test_lowercase_only_letters_are_pythons():
    expected = {
        letter
        for letter in _latin_letters()
        if letter.islower() and (len(letter.upper()) != 1 or letter.upper() == letter)
    }
    assert set(_rendered_list("lowercase_only_letters")) == expected


@pytest.mark.parametrize("target", ["duckdb", "postgres"])
def test_title_case_and_lost_case_of_latin_letters_match_python(
    target, duckdb_connection, postgres_connection
):
    """Per Latin letter: the casing the recasing relies on (title case of a first letter,
    whether a word of it counts as upper or lower case) is Python's on both engines."""
    words = [
        word
        for letter in _latin_letters()
        for word in (letter, letter + "A", letter + "a", letter + "1")
    ]
    listed = "'" + "', '".join(words) + "'"
    sql = compiled_sql(
        "select word, {{ crm_quality.title_letter('word') }} as titled, "
        "{{ crm_quality.has_lost_case('word') }} as has_lost_case "
        f"from (select unnest(array[{listed}]) as word) as words",
        target,
        postgres_connection[1] if target == "postgres" else None,
    )
    if target == "duckdb":
        rows = duckdb_connection.sql(sql).fetchall()
    else:
        rows = postgres_connection[0].execute(sql).fetchall()
    wrong_title = [
        (word, titled) for word, titled, _ in rows if len(word) == 1 and word.islower()
        and titled != word.title()
    ]  # fmt: skip
    wrong_case = [
        (word, lost) for word, _, lost in rows if lost != (word.isupper() or word.islower())
    ]
    assert wrong_title == []
    assert wrong_case == []


def test_unicode_seed_is_current():
    """seeds/unicode_characters.csv is what unicode_table writes with this Python's
    unicodedata (regenerate it when that changes)."""
    with (REPO_ROOT / "seeds" / "unicode_characters.csv").open(encoding="utf-8") as handle:
        stored = [tuple(row) for row in list(csv.reader(handle))[1:]]
    assert stored == [tuple(str(cell) for cell in row) for row in unicode_rows()]
    assert unicodedata.unidata_version == "14.0.0"
