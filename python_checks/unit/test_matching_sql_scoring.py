"""The SQL scoring macro against Splink's predict(), on DuckDB and on PostgreSQL.

Fabricated records carry the cases scoring must get right: typos, swapped names, households,
an inbox shared beyond the key-group cap, a family inbox, missing fields, non-Latin and
over-long names. Splink (crm_quality.matching.prediction.score_pairs) is the reference; the
SQL must give its pairs, levels and weights on both engines.
"""

from __future__ import annotations

import copy
import random

import duckdb
import pandas as pd
import pytest
from splink import DuckDBAPI

from crm_quality.matching.features import features_sql
from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.prediction import pair_table_schema, score_pairs
from python_checks.matching_sql import duckdb_pairs, postgres_pairs
from python_checks.unit.test_matching_scoring import ANNA, person

KEYS = ["record_key_l", "record_key_r"]
TOLERANCE = 1e-9
LONG_NAME = "wolfeschlegelsteinhausenbergerdorff" * 8  # 280 characters: beyond fuzzystrmatch


def standardized(row: dict) -> dict:
    record = {key: value for key, value in row.items() if key != "phone"}
    return {
        **record,
        "phone_key": row.get("phone"),
        "source_system": row.get("source_system", "crm"),
    }


def records() -> pd.DataFrame:
    rng = random.Random(11)
    rows = [person(rng, number) for number in range(400)]
    rows += [
        {**ANNA, "record_key": "crm:anna"},
        {**ANNA, "record_key": "crm:anna-dup", "first_name_key": "anja", "email": "am@web.de"},
        {**ANNA, "record_key": "crm:anna-swapped", "first_name_key": "muller",
         "last_name_key": "anna", "email": None},
        {**ANNA, "record_key": "billing:anna", "source_system": "billing", "phone": None},
        {**ANNA, "record_key": "crm:peter", "first_name_key": "peter",
         "email": "peter.muller@example.de", "birth_date": "1976-11-20"},
        # Day and month swapped; a year slipped by a decade.
        {**ANNA, "record_key": "crm:anna-swapdate", "birth_date": "1980-05-03", "email": None},
        {**ANNA, "record_key": "crm:anna-decade", "birth_date": "1990-03-05", "phone": None},
        # Missing fields: no first name, no birth date, nothing but a surname and a city.
        {**ANNA, "record_key": "crm:anna-nofirst", "first_name_key": None, "email": None},
        {**ANNA, "record_key": "crm:anna-nobirth", "birth_date": None},
        {"record_key": "crm:sparse", "last_name_key": "muller", "city": "berlin"},
        # Non-Latin and accented names, and an over-long one with a typo.
        {**ANNA, "record_key": "crm:jose", "first_name_key": "josé", "email": None, "phone": None},
        {**ANNA, "record_key": "crm:jose2", "first_name_key": "jose", "email": None, "phone": None},
        {"record_key": "crm:kim1", "first_name_key": "민준", "last_name_key": "김",
         "birth_date": "1991-02-03", "city": "seoul"},
        {"record_key": "crm:kim2", "first_name_key": "민준", "last_name_key": "깁",
         "birth_date": "1991-02-03", "city": "seoul"},
        {"record_key": "crm:long1", "first_name_key": LONG_NAME, "last_name_key": "graf",
         "birth_date": "1950-01-01"},
        {"record_key": "crm:long2", "first_name_key": LONG_NAME[:-1] + "x", "last_name_key": "graf",
         "birth_date": "1950-01-01"},
    ]  # fmt: skip
    # An inbox on more records than the key-group cap (20), and a family's shared inbox.
    rows += [
        person(rng, 1000 + number, email="info@firma.de", record_key=f"crm:info{number:02d}")
        for number in range(25)
    ]
    rows += [
        person(rng, 2000 + number, email="family@home.de", record_key=f"crm:family{number}")
        for number in range(3)
    ]
    # Inboxes without birth dates: one person's, a first name mistyped (kept); sisters' (not).
    inboxes = [
        ("crm:marie1", 3000, "marie", "m.weber@web.de"),
        ("crm:marie2", 3000, "maire", "m.weber@web.de"),
        ("crm:sister1", 3001, "marie", "weber.home@web.de"),
        ("crm:sister2", 3001, "martin", "weber.home@web.de"),
    ]
    rows += [
        person(rng, number, record_key=key, first_name_key=first, last_name_key="weber",
               email=email, birth_date=None)
        for key, number, first, email in inboxes
    ]  # fmt: skip
    # Names entered into each other's fields, nothing else shared but the place: only the
    # names in either order (name_pair_key) and the postcode bring them together.
    rows += [
        {"record_key": "crm:chloe1", "first_name_key": "chloe", "last_name_key": "mclaine",
         "street_address": "1 appel crescent", "postal_code": "3199", "city": "milly milly"},
        {"record_key": "crm:chloe2", "first_name_key": "mclaine", "last_name_key": "chloe",
         "street_address": "9 appel crescent", "postal_code": "3199", "city": "milly milly"},
    ]  # fmt: skip
    frame = pd.DataFrame([standardized(row) for row in rows])
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    return frame


def without_email(model: dict) -> dict:
    """The model as trained on data without e-mails: email is not compared nor blocked on."""
    changed = copy.deepcopy(model)
    settings = changed["splink_settings"]
    settings["comparisons"] = [
        c for c in settings["comparisons"] if c["output_column_name"] != "email"
    ]
    settings["blocking_rules_to_generate_predictions"] = [
        rule
        for rule in settings["blocking_rules_to_generate_predictions"]
        if "email" not in rule["blocking_rule"]
    ]
    return changed


MODELS = {
    "shipped": load_model(DEFAULT_MODEL_PATH),
    "without_email": without_email(load_model(DEFAULT_MODEL_PATH)),
}


def splink_pairs(frame: pd.DataFrame, model: dict) -> pd.DataFrame:
    connection = duckdb.connect()
    connection.register("records", frame)
    features = connection.sql(features_sql("records", 20)).to_arrow_table()
    pairs = score_pairs(DuckDBAPI(), features, model, min_match_probability=0.01)
    return pairs.as_pandas_dataframe()


def assert_same_pairs(actual: pd.DataFrame, expected: pd.DataFrame, tolerance: float) -> None:
    assert list(actual.columns) == pair_table_schema().names
    actual = actual.set_index(KEYS).sort_index()
    expected = expected.set_index(KEYS).sort_index()
    assert list(actual.index) == list(expected.index)
    text = [column for column in actual.columns if column.endswith(("_level", "_l", "_r"))]
    assert actual[text].equals(expected[text])
    numbers = [column for column in actual.columns if column not in text]
    assert (actual[numbers].astype(float) - expected[numbers]).abs().max().max() <= tolerance


@pytest.fixture(scope="module")
def fabricated() -> pd.DataFrame:
    return records()


@pytest.mark.parametrize("model_name", sorted(MODELS))
def test_duckdb_sql_scores_as_splink_does(fabricated, model_name):
    model = MODELS[model_name]
    expected = splink_pairs(fabricated, model)
    actual = duckdb_pairs(fabricated, model)
    assert_same_pairs(actual, expected, TOLERANCE)
    scored = actual.set_index(KEYS)
    assert scored.loc[("crm:anna", "crm:anna-swapped"), "first_name_level"] == (
        "swapped with the other name"
    )
    assert scored.loc[("crm:long1", "crm:long2"), "first_name_level"] == "one typo"
    assert not scored.index.isin([("crm:info00", "crm:info01")]).any()
    assert scored.loc[("crm:chloe1", "crm:chloe2"), "first_name_level"] == (
        "swapped with the other name"
    )
    email_levels = scored["email_level"]
    if model_name != "without_email":
        assert email_levels[("crm:marie1", "crm:marie2")] == "exact"
        assert email_levels[("crm:sister1", "crm:sister2")] != "exact"
    if model_name == "without_email":
        assert set(actual["email_level"]) == {"not compared"}


@pytest.mark.parametrize("model_name", sorted(MODELS))
def test_postgres_sql_scores_as_duckdb_does(fabricated, model_name, postgres_env):
    model = MODELS[model_name]
    on_duckdb = duckdb_pairs(fabricated, model)
    on_postgres = postgres_pairs(fabricated, model, postgres_env)
    assert len(on_duckdb) > 40
    assert_same_pairs(on_postgres, on_duckdb, 1e-12)
    assert_same_pairs(on_postgres, splink_pairs(fabricated, model), TOLERANCE)


def test_no_model_gives_an_empty_pair_table(fabricated):
    assert duckdb_pairs(fabricated, None).empty
