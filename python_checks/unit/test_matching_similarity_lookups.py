"""Similarities looked up per pair of distinct values (crm_quality.matching.similarity_lookups)."""

from __future__ import annotations

import logging
import random

import pandas as pd
import pytest
from splink import DuckDBAPI, Linker
from splink.internals.settings import Settings

from crm_quality.demo.pools import STREETS as STREET_NAMES
from crm_quality.matching import similarity_lookups
from crm_quality.matching.similarity_lookups import (
    Lookup,
    looked_up,
    plan_lookups,
    rewritten,
    similarity_calls,
)
from crm_quality.matching.training import train_model
from crm_quality.matching.u_sampling import _training_copy
from python_checks.unit.test_matching_scoring import training_records

FIRST_NAMES = 'jaro_winkler_similarity("first_name_key_l", "first_name_key_r") >= 0.88'
CROSSED = 'jaro_winkler_similarity("first_name_key_l", "last_name_key_r") >= 0.88'
STREETS = "jaro_winkler_similarity(street_key_l, street_key_r) >= 0.9"
DISTANCE = 'levenshtein("first_name_key_l", "first_name_key_r") <= 1'


def test_calls_on_one_column_of_each_record_are_found_once_each():
    calls = similarity_calls(
        [f"{FIRST_NAMES} and {CROSSED}", f"{DISTANCE} or {STREETS}", FIRST_NAMES]
    )
    assert calls == [
        ("jaro_winkler_similarity", "first_name_key", "first_name_key"),
        ("jaro_winkler_similarity", "first_name_key", "last_name_key"),
        ("levenshtein", "first_name_key", "first_name_key"),
        ("jaro_winkler_similarity", "street_key", "street_key"),
    ]
    # A call with a third argument, or on an expression, is computed as written.
    assert (
        similarity_calls(["jaro_winkler_similarity(a_l, a_r, 0.9)", "levenshtein(lower(a_l), a_r)"])
        == []
    )


def test_columns_with_too_many_distinct_values_are_computed_per_pair():
    calls = similarity_calls([FIRST_NAMES, DISTANCE, STREETS])
    # 1,000 records: 499,500 pairs; 300 first names make 90,000 value pairs, 900 streets 810,000.
    lookups = plan_lookups(calls, {"first_name_key": 300, "street_key": 900}, 499_500)
    assert lookups == [
        Lookup(
            "__similarities_0",
            "first_name_key",
            "first_name_key",
            ("jaro_winkler_similarity", "levenshtein"),
            300,
        )
    ]
    assert rewritten(f"{FIRST_NAMES} and {DISTANCE} and {STREETS}", lookups) == (
        "__similarities_0_jaro_winkler_similarity >= 0.88 and "
        f"__similarities_0_levenshtein <= 1 and {STREETS}"
    )


@pytest.fixture(scope="module")
def linker_and_records() -> tuple[Linker, str]:
    records = training_records(4)
    settings = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)["splink_settings"]
    table = DuckDBAPI().register(records)
    return Linker(table, settings, log_level=logging.WARNING), table.physical_name


# These records hold 10 first names, 8 last names, 97 streets and 504 birth dates: all looked
# up, or (at a share of 1 %) the names only, the rest computed per pair.
@pytest.mark.parametrize(
    ("share", "looked_up_columns"),
    [
        (0.5, {"first_name_key", "last_name_key", "street_key", "birth_date_text"}),
        (0.01, {"first_name_key", "last_name_key"}),
    ],
)
def test_every_pair_gets_the_similarities_and_levels_the_functions_give(
    linker_and_records, monkeypatch, share, looked_up_columns
):
    monkeypatch.setattr(similarity_lookups, "MAX_SHARE_OF_PAIRS", share)
    linker, records = linker_and_records
    # As u_sampling counts: no term-frequency columns.
    settings = _training_copy(linker)._settings_obj
    uid_columns = settings.column_info_settings.unique_id_input_columns
    expressions = Settings.columns_to_select_for_comparison_vector_values(
        unique_id_input_columns=uid_columns,
        comparisons=settings.comparisons,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )
    db_api = linker._db_api
    blocking = [
        c
        for comparison in settings.comparisons
        for c in comparison._columns_to_select_for_blocking()
    ]
    pair_columns = [
        "l.record_key as record_key_l",
        "r.record_key as record_key_r",
        "0 as match_key",
    ]
    pair_columns += dict.fromkeys(blocking)

    def levels(table: str, joins: list[str], extra: list[str], vectors: list[str]) -> pd.DataFrame:
        pairs = (
            f"select {', '.join([*pair_columns, *extra])} from {table} as l inner join {table} as r"
            f" on l.record_key < r.record_key {' '.join(joins)}"
        )
        sql = f"select {', '.join(vectors)} from ({pairs}) order by record_key_l, record_key_r"
        return db_api._execute_sql_against_backend(sql).df()

    # The similarities themselves too, not only the levels they decide.
    expressions += [
        f'{f}("{left}_l", "{right}_r") as {f}_{left}_{right}'
        for f, left, right in similarity_calls(expressions)
    ]
    direct = levels(records, [], [], expressions)
    with looked_up(db_api, records, expressions) as lookups:
        assert {lookup.left for lookup in lookups.lookups} == looked_up_columns
        via_lookups = levels(lookups.records, lookups.joins, lookups.columns, lookups.expressions)
    assert len(direct) > 400_000
    pd.testing.assert_frame_equal(direct, via_lookups)


def _bounded_pairs(values: list[str], threshold: float) -> pd.DataFrame:
    """Every ordered pair of `values`: its Jaro-Winkler similarity and whether the bound lets it
    through (jaro_bound_sql on the columns _numbered_sql gives the records)."""
    db_api = DuckDBAPI()
    table = db_api.register(pd.DataFrame({"id": range(len(values)), "v": values}))
    records = f"({similarity_lookups._numbered_sql(table.physical_name, {}, ['v'])})"
    bound = similarity_lookups.jaro_bound_sql("v", "v", threshold)
    sql = (
        f"select l.v as a, r.v as b, jaro_winkler_similarity(l.v, r.v) as similarity, {bound}"
        f" as passes from {records} as l cross join {records} as r"
    )
    return db_api._execute_sql_against_backend(sql).df()


def _awkward_values(count: int) -> list[str]:
    """Streets, their typos and near misses, repeated letters, non-Latin scripts, empty text."""
    rng = random.Random(11)
    streets = ["hauptstrasse", "bahnhofstr", "am ring", "rue de la paix", "müllerweg", "ул ленина"]
    streets += ["大街", "aaaaab", "abababab", "", "x", "main st", "mainst", "niam st"]
    values = list(streets)
    while len(values) < count:
        base = list(rng.choice(streets) or "ab")
        for _ in range(rng.randint(0, 3)):
            position = rng.randrange(len(base))
            edit = rng.choice(["drop", "swap", "letter"])
            if edit == "drop" and len(base) > 1:
                del base[position]
            elif edit == "swap" and position + 1 < len(base):
                base[position], base[position + 1] = base[position + 1], base[position]
            else:
                base[position] = rng.choice("aeiounrstlümлд大 ")
        values.append("".join(base) + rng.choice(["", "", " 1", " 12a"]))
    return values


@pytest.mark.parametrize("threshold", [0.7, 0.88, 0.9, 0.95])
def test_the_jaro_bound_never_stops_a_pair_that_reaches_the_threshold(threshold):
    pairs = _bounded_pairs(_awkward_values(400), threshold)
    reaching = pairs[pairs.similarity >= threshold]
    assert len(reaching) > 1_000  # near misses and typos, not only identical values
    stopped = reaching[reaching.passes != True]  # noqa: E712 (null counts as stopped)
    assert stopped.empty, stopped.head(10)


def test_the_jaro_bound_stops_most_pairs_of_different_streets():
    # Street keys as features.py writes them: lower case, no spaces, with house numbers.
    streets = [
        f"{name.lower().replace(' ', '')}{number}"
        for names in STREET_NAMES.values()
        for name in names
        for number in (1, 17)
    ]
    pairs = _bounded_pairs(streets, 0.9)
    different = pairs[pairs.similarity < 0.9]
    assert (different.passes == False).mean() > 0.5  # noqa: E712
    # A threshold Winkler's boost alone can reach has no bound.
    assert similarity_lookups.jaro_bound_sql("v", "v", 0.4) is None
