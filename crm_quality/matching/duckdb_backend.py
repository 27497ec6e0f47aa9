"""Glue between dbt-duckdb Python models and the engine-agnostic matching package.

The dbt models stay one call each. Splink runs as SQL on the warehouse's own DuckDB
database through a separate cursor (dbt-duckdb's `session` is a wrapper Splink does not
accept), in a scratch schema that is dropped afterwards so no `__splink__*` table is left in
the warehouse.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI

from crm_quality.matching.clusters import cluster_pairs_at_thresholds
from crm_quality.matching.features import feature_select_sql
from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.prediction import pair_table_schema, score_pairs
from crm_quality.matching.training import DEFAULT_SEED, train_model

SCRATCH_SCHEMA_PREFIX = "er_scratch"


def config_value(value: Any, kind: type, default: Any = None) -> Any:
    """A dbt config value (often rendered from a var as text) as `kind`; empty gives default."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "None", "none")):
        return default
    if kind is bool:
        return value if isinstance(value, bool) else str(value).strip().lower() == "true"
    return kind(value)


@contextmanager
def splink_database(session: Any) -> Iterator[DuckDBAPI]:
    """A Splink DuckDBAPI on a new cursor of the warehouse, in a scratch schema dropped after."""
    cursor: duckdb.DuckDBPyConnection = session.cursor()
    schema = f"{SCRATCH_SCHEMA_PREFIX}_{uuid.uuid4().hex[:8]}"
    try:
        yield DuckDBAPI(connection=cursor, output_schema=schema)
    finally:
        cursor.execute(f"drop schema if exists {schema} cascade")
        cursor.close()


def matching_features(records: duckdb.DuckDBPyRelation, max_key_group_size: int) -> pa.Table:
    """Matching input as an Arrow table (read once, so Splink may scan it repeatedly)."""
    sql = f"select {feature_select_sql(max_key_group_size)} from records"
    return records.query("records", sql).to_arrow_table()


def score_record_pairs(
    session: Any,
    records: duckdb.DuckDBPyRelation,
    *,
    model_path: str | Path | None = None,
    min_match_probability: float,
    max_key_group_size: int,
    train_in_build: bool = False,
    seed: int = DEFAULT_SEED,
) -> pa.Table:
    """Candidate pairs of standardized person records, scored by the trained model.

    With `train_in_build` the model is trained on these records first (slower; the file is
    left as it is). Fewer than two records give an empty pair table of the same shape.
    """
    features = matching_features(records, max_key_group_size)
    model = None if train_in_build else load_model(model_path or DEFAULT_MODEL_PATH)
    if features.num_rows < 2:
        return pair_table_schema().empty_table()
    with splink_database(session) as db_api:
        if model is None:
            model = train_model(db_api, features, seed=seed)
        pairs = score_pairs(
            db_api,
            features,
            model,
            min_match_probability=min_match_probability,
            record_count=features.num_rows,
        )
        return pairs.as_duckdbpyrelation().to_arrow_table()


def cluster_records_at_thresholds(
    records: duckdb.DuckDBPyRelation,
    pairs: duckdb.DuckDBPyRelation,
    thresholds: Mapping[str, float],
) -> pd.DataFrame:
    """Every record with its cluster at each named threshold (see clusters.py)."""
    keys = records.project("record_key").to_arrow_table().column("record_key")
    links = pairs.project("record_key_l, record_key_r, match_probability").to_arrow_table()
    return cluster_pairs_at_thresholds(keys, links, thresholds)
