"""PostgreSQL's Jaro-Winkler and Levenshtein (macros/engines/similarity.sql) against DuckDB's
built-ins on a corpus: the generator's names and streets in every script, each against
another and against a typo'd copy of itself, random strings over small alphabets (many
matches and transpositions), and edge cases. Scores must be bit-identical.
"""

from __future__ import annotations

import random

import duckdb
import psycopg2
import pytest
from psycopg2.extras import execute_values

from crm_quality.demo.pools import FIRST_NAMES, LAST_NAMES, STREETS
from python_checks.matching_sql import similarity_functions_sql
from python_checks.sql_render import compiled_sql

EDGE_CASES = [
    ("", ""),
    ("a", ""),
    ("a", "a"),
    ("ab", "ba"),
    ("martha", "marhta"),
    ("dwayne", "duane"),
    ("e\u0301", "é"),  # combining accent: two code points against one
    ("🇩🇪x", "🇩🇪y"),
    ("x" * 300, "x" * 299 + "y"),  # beyond fuzzystrmatch's 255 characters
]


def typo(rng: random.Random, text: str) -> str:
    if not text:
        return text
    position = rng.randrange(len(text))
    kind = rng.randrange(4)
    if kind == 0:
        return text[:position] + text[position + 1 :]
    if kind == 1:
        return text[:position] + rng.choice("aeiouxßé日") + text[position:]
    if kind == 2 and position + 1 < len(text):
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text[:position] + rng.choice("abcdé") + text[position + 1 :]


def corpus() -> list[tuple[str, str]]:
    rng = random.Random(5)
    words = sorted(
        {name.native.lower() for names in FIRST_NAMES.values() for name in names}
        | {name.native.lower() for names in LAST_NAMES.values() for name in names}
        | {street.lower().replace(" ", "") for streets in STREETS.values() for street in streets}
    )
    pairs = list(EDGE_CASES)
    for _ in range(6000):
        word = rng.choice(words)
        pairs.append((word, rng.choice(words)))
        pairs.append((word, typo(rng, typo(rng, word))))
    for _ in range(6000):
        alphabet = rng.choice(["ab", "abc", "abcd", "aé日", "abcdefgh"])
        pairs.append(
            tuple(
                "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(2)
            )
        )
    return pairs


@pytest.fixture(scope="module")
def scored(postgres_env) -> list[tuple]:
    """(left, right, DuckDB JW, DuckDB Levenshtein, PostgreSQL JW, PostgreSQL Levenshtein)."""
    pairs = corpus()
    jaro_winkler = compiled_sql(
        "{{ jaro_winkler_similarity_function() }}", "postgres", postgres_env
    )
    levenshtein = compiled_sql("{{ levenshtein_function() }}", "postgres", postgres_env)
    with duckdb.connect() as connection:
        connection.execute("create table corpus (id integer, l varchar, r varchar)")
        connection.executemany(
            "insert into corpus values (?, ?, ?)", [(n, *pair) for n, pair in enumerate(pairs)]
        )
        on_duckdb = connection.execute(
            "select jaro_winkler_similarity(l, r), levenshtein(l, r) from corpus order by id"
        ).fetchall()
    connection = psycopg2.connect(
        **{key: postgres_env[name] for key, name in [("host", "PGHOST"), ("port", "PGPORT"),
                                                      ("user", "PGUSER"), ("dbname", "PGDATABASE")]}
    )  # fmt: skip
    try:
        with connection.cursor() as cursor:
            cursor.execute(similarity_functions_sql(postgres_env))
            cursor.execute("create temporary table corpus (id integer, l text, r text)")
            execute_values(
                cursor,
                "insert into corpus values %s",
                [(n, *pair) for n, pair in enumerate(pairs)],
            )
            cursor.execute(
                f"select {jaro_winkler}(l, r), {levenshtein}(l, r) from corpus order by id"
            )
            on_postgres = cursor.fetchall()
    finally:
        connection.rollback()
        connection.close()
    return [
        (*pair, *duck, *pg) for pair, duck, pg in zip(pairs, on_duckdb, on_postgres, strict=True)
    ]


def test_jaro_winkler_is_bit_identical_to_duckdbs(scored):
    different = [(left, right, duck, pg) for left, right, duck, _, pg, _ in scored if duck != pg]
    assert different == []
    assert len(scored) > 18_000


def test_levenshtein_agrees_with_duckdbs_beyond_255_characters_too(scored):
    different = [(left, right, duck, pg) for left, right, _, duck, _, pg in scored if duck != pg]
    assert different == []
    assert any(len(left) > 255 for left, *_ in scored)
