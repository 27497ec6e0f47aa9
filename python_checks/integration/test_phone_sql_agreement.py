"""The SQL phone standardization (macros/standardize/phones.sql) agrees with the Python path.

A seeded corpus with every region's example numbers in several written forms
(python_checks/integration/phone_corpus.py, ~5,600 pairs; CRM_PHONE_FULL_CORPUS=1 takes 100,000
random rows instead) is standardized by phonenumbers (crm_quality.standardize.phone, as
frame._phone_columns uses it) and by the compiled macro on DuckDB and on PostgreSQL. Both
engines must give identical rows, and they must agree with phonenumbers on every pair but the
known divergences listed below. The macro renders only the metadata of the calling codes its
input reaches (phone_reached_metadata): a corpus of a few given regions checks that what it
leaves out is never needed. Parsing the pairs once into a scratch table (parsed_scratch, as
int_person_records_standardized does) must give the same rows.
"""

from __future__ import annotations

import collections
import csv
import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import phonenumbers
import psycopg2
import psycopg2.extras
import pytest
from phonenumbers.re_util import enable_pattern_cache

from python_checks.integration.phone_corpus import corpus, every_region_corpus, reference
from python_checks.sql_render import REPO_ROOT, compiled_sql, shown_rows

FULL_CORPUS = os.environ.get("CRM_PHONE_FULL_CORPUS") == "1"
FULL_CORPUS_SIZE = 100_000
CORPUS_SEED = 20261201
PHONE_SEEDS = ("phone_regions", "phone_number_types", "phone_character_folds", "placeholder_values")
# At most this share of the corpus may differ from phonenumbers, and only in known ways
# (_is_known_divergence); any other difference fails the test with examples.
ALLOWED_DIVERGENCE_RATE = 0.001

PHONE_COLUMNS = ("phone_raw", "phone_region", "phone", "phone_key", "phone_status")
# Given regions of the smaller corpus: numbers written for them reach a few dozen calling codes.
FEW_REGIONS = {"DE", "US", "GB", "IT", "RU", "AR", "AU", "BR", "MX", "JP", "FR", "XX"}


def _snippet(table: str) -> str:
    return (
        "select phones.* from ("
        f"{{{{ phone_standardized_pairs('main.{table}', 'phone_raw', 'country',"
        f" pairs_sql='select * from main.{table}') }}}}"
        ") as phones"
    )


def _scratch_snippet(table: str) -> str:
    """_snippet parsing once into a scratch table, each value behind a '|' (text for agate)."""
    return (
        "select "
        + ", ".join(f"'|' || {column} as {column}" for column in PHONE_COLUMNS)
        + " from ("
        f"{{{{ phone_standardized_pairs('main.{table}', 'phone_raw', 'country',"
        f" pairs_sql='select * from main.{table}', parsed_scratch='phone_agreement_parsed') }}}}"
        ") as phones"
    )


def _seed_tables() -> list[tuple[str, list[str], Path]]:
    tables = []
    for name in PHONE_SEEDS:
        path = REPO_ROOT / "seeds" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            tables.append((name, next(csv.reader(handle)), path))
    return tables


def _load_seeds_duckdb(connection) -> None:
    """The seeds as dbt loads them (text, empty fields null), without dbt's slow inserts."""
    for name, columns, path in _seed_tables():
        connection.execute(
            f"create table main.{name} as"
            " select * from read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        assert [row[0] for row in connection.execute(f"describe main.{name}").fetchall()] == columns


def _load_seeds_postgres(cursor) -> None:
    cursor.execute("create schema if not exists main")
    for name, columns, path in _seed_tables():
        cursor.execute(
            f"create table main.{name} ({', '.join(f'{column} text' for column in columns)})"
        )
        with path.open(encoding="utf-8", newline="") as handle:
            cursor.copy_expert(
                f"copy main.{name} from stdin with (format csv, header true)", handle
            )


@pytest.fixture(scope="module")
def expected() -> dict[tuple[str | None, str | None], tuple[str | None, str | None, str]]:
    enable_pattern_cache()  # phonenumbers recompiles its patterns otherwise: twice as slow
    if FULL_CORPUS:
        pairs = corpus(FULL_CORPUS_SIZE, CORPUS_SEED)
    else:
        pairs = every_region_corpus(CORPUS_SEED)
    return {pair: reference(*pair) for pair in dict.fromkeys(pairs)}


def _rows_by_pair(rows) -> dict:
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def _few_regions(expected: dict) -> dict:
    return {pair: answer for pair, answer in expected.items()
            if (pair[1] or "").strip().upper() in FEW_REGIONS}  # fmt: skip


def _create_input(connection, table: str, pairs) -> None:
    frame = pd.DataFrame(list(pairs), columns=["phone_raw", "country"], dtype=object)
    connection.register("phone_pairs", frame)
    connection.execute(
        f"create table {table} as"
        " select cast(phone_raw as varchar) as phone_raw,"
        " cast(country as varchar) as country from phone_pairs"
    )
    connection.unregister("phone_pairs")


@pytest.fixture(scope="module")
def duckdb_compile_environment(expected, tmp_path_factory) -> dict[str, str]:
    # dbt reads the seeds and the pairs while compiling, through a connection it keeps open with
    # its own settings; the SQL runs on a second file of the same name (so the same relation
    # names). Both corpora are there before the first compile.
    compile_database = tmp_path_factory.mktemp("phone_duckdb_compile") / "phones.duckdb"
    with duckdb.connect(str(compile_database)) as connection:
        _load_seeds_duckdb(connection)
        _create_input(connection, "phone_agreement_input", expected)
        _create_input(connection, "phone_few_regions_input", _few_regions(expected))
    return {"CRM_DUCKDB_PATH": str(compile_database)}


def _run_duckdb(sql: str, table: str, pairs, directory: Path) -> dict:
    with duckdb.connect(str(directory / "phones.duckdb")) as connection:
        _load_seeds_duckdb(connection)
        _create_input(connection, table, pairs)
        return _rows_by_pair(connection.execute(sql).fetchall())


@pytest.fixture(scope="module")
def duckdb_sql(duckdb_compile_environment) -> str:
    return compiled_sql(_snippet("phone_agreement_input"), "duckdb", duckdb_compile_environment)


@pytest.fixture(scope="module")
def duckdb_results(expected, duckdb_sql, tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("phone_duckdb")
    return _run_duckdb(duckdb_sql, "phone_agreement_input", expected, directory)


@pytest.fixture(scope="module")
def postgres_results(expected, module_postgres_env) -> dict:
    postgres_env = module_postgres_env
    connection = psycopg2.connect(
        host=postgres_env["PGHOST"],
        port=postgres_env["PGPORT"],
        user=postgres_env["PGUSER"],
        dbname=postgres_env["PGDATABASE"],
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            _load_seeds_postgres(cursor)
            cursor.execute("create table main.phone_agreement_input (phone_raw text, country text)")
            # By region: PostgreSQL caches few compiled patterns; a region's rows share them.
            rows = sorted(expected, key=lambda pair: (pair[1] or "", pair[0] or ""))
            psycopg2.extras.execute_values(
                cursor, "insert into main.phone_agreement_input values %s", rows, page_size=5000
            )
        sql = compiled_sql(_snippet("phone_agreement_input"), "postgres", postgres_env)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return _rows_by_pair(cursor.fetchall())
    finally:
        connection.close()


def _is_known_divergence(answer: tuple, got: tuple | None) -> bool:
    """The one kind of difference kept on purpose: an unverifiable national number written in
    digits of another script ('٠٣٠١٢٣٤٥٦٧') keeps them in Python's key; SQL folds them to ASCII,
    as phonenumbers itself does when it parses, so both spellings meet in matching."""
    return (
        got is not None
        and answer[2] == got[2] == "unverifiable"
        and answer[1] != got[1]
        and not answer[1].isascii()
        and "".join(str(int(ch)) for ch in answer[1]) == got[1]
    )


def _divergences(expected: dict, actual: dict) -> collections.Counter:
    kinds: collections.Counter = collections.Counter()
    for pair, answer in expected.items():
        got = actual.get(pair)
        if got != answer:
            known = "known" if _is_known_divergence(answer, got) else "unexplained"
            kinds[(known, answer[2], got[2] if got else "absent")] += 1
    return kinds


def _examples(expected: dict, actual: dict, limit: int = 20) -> list:
    return [
        (pair, answer, actual.get(pair))
        for pair, answer in expected.items()
        if actual.get(pair) != answer
    ][:limit]


def test_corpus_covers_every_status_and_region(expected):
    statuses = collections.Counter(answer[2] for answer in expected.values())
    assert set(statuses) == {"valid", "invalid", "missing", "unverifiable"}
    assert statuses["valid"] >= 3_000 and statuses["invalid"] >= 1_000
    # A valid number read for its own region, for every region: a broken pattern shows.
    valid_regions = {pair[1] for pair, answer in expected.items() if answer[2] == "valid"}
    assert valid_regions >= set(phonenumbers.SUPPORTED_REGIONS)
    if FULL_CORPUS:
        assert len(expected) >= 75_000  # distinct pairs of the 100,000 rows


def test_duckdb_agrees_with_phonenumbers(expected, duckdb_results):
    assert len(duckdb_results) == len(expected)
    kinds = _divergences(expected, duckdb_results)
    examples = _examples(expected, duckdb_results)
    assert sum(kinds.values()) <= ALLOWED_DIVERGENCE_RATE * len(expected), (kinds, examples)
    assert not [kind for kind in kinds if kind[0] == "unexplained"], (kinds, examples)


def test_duckdb_judges_pairs_with_the_metadata_they_reach(
    expected, duckdb_compile_environment, duckdb_sql, tmp_path_factory
):
    few = _few_regions(expected)
    sql = compiled_sql(_snippet("phone_few_regions_input"), "duckdb", duckdb_compile_environment)
    assert len(sql) < len(duckdb_sql) / 2  # most regions' metadata left out
    results = _run_duckdb(
        sql, "phone_few_regions_input", few, tmp_path_factory.mktemp("phone_few_regions")
    )
    assert len(results) == len(few)
    kinds = _divergences(few, results)
    unexplained = [kind for kind in kinds if kind[0] == "unexplained"]
    assert not unexplained, (kinds, _examples(few, results))


def test_duckdb_parsing_once_gives_the_same_rows(duckdb_compile_environment, duckdb_results):
    shown = shown_rows(
        _scratch_snippet("phone_agreement_input"), "duckdb", duckdb_compile_environment
    )
    rows = [tuple(None if value is None else value[1:] for value in row) for row in shown]
    assert len(rows) == len(duckdb_results)
    results = _rows_by_pair(rows)
    assert results == duckdb_results, _examples(duckdb_results, results)


def test_postgres_gives_the_rows_duckdb_gives(duckdb_results, postgres_results):
    assert postgres_results == duckdb_results, _examples(duckdb_results, postgres_results)


def _number_type_pattern(region: str, number_type: str) -> str:
    path = REPO_ROOT / "seeds" / "phone_number_types.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        (pattern,) = [row["national_number_pattern"] for row in csv.DictReader(handle)
                      if (row["region"], row["number_type"]) == (region, number_type)]  # fmt: skip
    return pattern


def _filters(node: dict):
    """The profile's FILTER operators under `node`, as the texts of their expressions."""
    if node["type"] == "FILTER":
        expression = node.get("extra_info", {}).get("Expression", "")
        yield " ".join(expression) if isinstance(expression, list) else expression
    for child in node.get("children", []):
        yield from _filters(child)


def test_duckdb_judges_validity_outside_filters(expected, duckdb_sql, tmp_path_factory):
    """DuckDB pushes a reader's filter into the CTE it reads and keeps it in the reader as well:
    judged in a filter, every number's type patterns ran twice (phone_valid_numbers); judged in
    a projection, once."""
    # A code of one region: its types' patterns appear only where validity is judged.
    pattern = _number_type_pattern("DE", "premium_rate")
    directory = tmp_path_factory.mktemp("phone_duckdb_profile")
    profile = directory / "profile.json"
    with duckdb.connect(str(directory / "phones.duckdb")) as connection:
        _load_seeds_duckdb(connection)
        _create_input(connection, "phone_agreement_input", expected)
        connection.execute("pragma enable_profiling = 'json'")
        connection.execute(f"pragma profiling_output = '{profile}'")
        connection.execute(duckdb_sql).fetchall()
    operators = json.loads(profile.read_text(encoding="utf-8"))["operator"]
    filters = [text for root in operators for text in _filters(root)]
    assert filters  # the profile shows filters' expressions
    assert pattern in duckdb_sql
    assert not [text for text in filters if pattern in text]
