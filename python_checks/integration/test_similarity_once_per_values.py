"""PostgreSQL's scoring calls Jaro-Winkler once per distinct pair of values the candidate pairs
compare, not once per pair (macros/matching/matching_similarity_calls.sql), and scores the
pairs as DuckDB's inline calls do."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from python_checks.matching_sql import duckdb_pairs, postgres_function_calls, postgres_pairs

pytestmark = pytest.mark.integration

FIRST_NAMES = ("anna", "anne", "hanna", "ann")
STREETS = ("12 high street", "12 high st")
PEOPLE = 40


def _records() -> pd.DataFrame:
    """One surname and postcode (one block: every record pairs with every other), few names."""
    return pd.DataFrame(
        {
            "record_key": [f"crm|{index:03d}" for index in range(PEOPLE)],
            "source_system": "crm",
            "first_name_key": [FIRST_NAMES[index % len(FIRST_NAMES)] for index in range(PEOPLE)],
            "last_name_key": "smith",
            "email": None,
            "phone_key": None,
            "street_address": [STREETS[index % len(STREETS)] for index in range(PEOPLE)],
            "postal_code": "2000",
            "city": "sydney",
            "birth_date": None,
        }
    )


def test_jaro_winkler_runs_once_per_distinct_pair_of_values(postgres_env):
    calls = postgres_function_calls(_records(), load_model(DEFAULT_MODEL_PATH), postgres_env)
    pairs = PEOPLE * (PEOPLE - 1) // 2
    # Per candidate pair the levels would call it on the names and the streets, 780 pairs over.
    # Once per distinct pair of values: first x last, last x first, first x first, last x last,
    # street x street.
    names, streets = len(FIRST_NAMES), len(STREETS)
    distinct = names + names + names * names + 1 + streets * streets
    (jaro_winkler,) = [count for name, count in calls.items() if "jaro_winkler" in name]
    assert 0 < jaro_winkler <= distinct < pairs


def test_the_pairs_score_as_on_duckdb(postgres_env):
    model = load_model(DEFAULT_MODEL_PATH)
    keys = ["record_key_l", "record_key_r"]
    expected = duckdb_pairs(_records(), model).sort_values(keys).reset_index(drop=True)
    actual = postgres_pairs(_records(), model, postgres_env).sort_values(keys)
    actual = actual.reset_index(drop=True)
    assert len(expected) > 0
    assert list(actual.columns) == list(expected.columns)
    assert actual[keys].equals(expected[keys])
    levels = [column for column in expected.columns if column.endswith("_level")]
    assert actual[levels].equals(expected[levels])
    assert (actual["match_weight"] - expected["match_weight"]).abs().max() <= 1e-12
