"""int_record_pairs_scored (SQL rendered from the model) against Splink's own predict() on the
same records and the same model, and the same SQL run on PostgreSQL: the same pairs, levels and
weights.

Splink is the reference (crm_quality.matching.prediction.score_pairs): the SQL replaces it in
the build so the warehouse can run on engines without Python models.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from splink import DuckDBAPI

from crm_quality.connect import connect
from crm_quality.matching.features import features_sql
from crm_quality.matching.prediction import pair_table_schema, score_pairs
from python_checks.dbt_runner import DbtRun
from python_checks.matching_sql import RECORD_COLUMNS, postgres_pairs

pytestmark = pytest.mark.integration

KEYS = ["record_key_l", "record_key_r"]
# Probabilities must agree this closely on at least AGREEMENT_SHARE of the pairs (aim: all).
TOLERANCE = 1e-9
AGREEMENT_SHARE = 0.999


def latest_model(warehouse: DbtRun) -> dict:
    ((model_json,),) = warehouse.query(
        "select model_json from int_matching_models order by trained_at desc, model_id desc limit 1"
    )
    return json.loads(model_json)


def splink_pairs(warehouse: DbtRun) -> pd.DataFrame:
    """Splink's pairs on the build's standardized records, with the build's latest model."""
    with connect(warehouse.warehouse, restricted=True) as connection:
        features = connection.sql(
            features_sql("int_person_records_standardized", 20)
        ).to_arrow_table()
    db_api = DuckDBAPI(connection=duckdb.connect())
    pairs = score_pairs(db_api, features, latest_model(warehouse), min_match_probability=0.01)
    return pairs.as_pandas_dataframe()


def sql_pairs(warehouse: DbtRun) -> pd.DataFrame:
    with connect(warehouse.warehouse, restricted=True) as connection:
        return connection.sql("select * from int_record_pairs_scored").df()


def test_the_pair_table_is_rendered_sql_not_a_python_model(warehouse):
    manifest = json.loads(
        (warehouse.warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8")
    )
    node = manifest["nodes"]["model.crm_quality.int_record_pairs_scored"]
    assert node["language"] == "sql"


def test_sql_scoring_gives_splinks_pairs_levels_and_weights(warehouse):
    expected = splink_pairs(warehouse).set_index(KEYS).sort_index()
    actual = sql_pairs(warehouse).set_index(KEYS).sort_index()
    assert list(actual.reset_index().columns) == pair_table_schema().names
    assert len(expected) > 1000
    only_splink = expected.index.difference(actual.index)
    only_sql = actual.index.difference(expected.index)
    assert (list(only_splink), list(only_sql)) == ([], [])
    labels = [column for column in actual.columns if column.endswith("_level")]
    assert (actual[labels] == expected[labels]).all().all()
    assert (
        (
            actual[["source_system_l", "source_system_r"]]
            == expected[["source_system_l", "source_system_r"]]
        )
        .all()
        .all()
    )
    weights = [column for column in actual.columns if column.endswith("weight")]
    assert (actual[weights] - expected[weights]).abs().max().max() < TOLERANCE
    close = (actual["match_probability"] - expected["match_probability"]).abs() < TOLERANCE
    assert close.mean() >= AGREEMENT_SHARE
    assert close.all(), expected[~close].head()


def test_postgres_scores_the_build_records_as_the_duckdb_build_did(warehouse, postgres_env):
    with connect(warehouse.warehouse, restricted=True) as connection:
        records = connection.sql(
            f"select {', '.join(RECORD_COLUMNS)} from int_person_records_standardized"
        ).df()
    on_postgres = postgres_pairs(records, latest_model(warehouse), postgres_env)
    actual = on_postgres.set_index(KEYS).sort_index()
    expected = sql_pairs(warehouse).set_index(KEYS).sort_index()
    assert list(actual.index) == list(expected.index)
    text = [column for column in actual.columns if column.endswith(("_level", "_l", "_r"))]
    assert actual[text].equals(expected[text])
    numbers = [column for column in actual.columns if column not in text]
    assert (actual[numbers].astype(float) - expected[numbers]).abs().max().max() <= 1e-12
