"""Glue between dbt-duckdb Python models and the engine-agnostic matching package.

The dbt models stay one call each. Splink runs as SQL on the warehouse's own DuckDB
database through a separate cursor (dbt-duckdb's `session` is a wrapper Splink does not
accept), in a scratch schema that is dropped afterwards so no `__splink__*` table is left in
the warehouse.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI

from crm_quality.matching.blocking import DEFAULT_MAX_PAIRS_PER_RECORD
from crm_quality.matching.features import features_sql
from crm_quality.matching.label_training import (
    DEFAULT_BAND_EDGES,
    DEFAULT_PSEUDO_COUNT,
    labels_fingerprint,
)
from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.profile import (
    DEFAULT_MIN_FILL_RATE,
    LABELS_FINGERPRINT,
    needs_retraining,
    profile_features,
)
from crm_quality.matching.threads import all_threads
from crm_quality.matching.training import DEFAULT_SEED, train_model

SCRATCH_SCHEMA_PREFIX = "er_scratch"


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


def matching_features(
    session: duckdb.DuckDBPyConnection, records: duckdb.DuckDBPyRelation, max_key_group_size: int
) -> pa.Table:
    """Matching input as an Arrow table (read once, so Splink may scan it repeatedly), in
    record_key order: Splink's sums follow the rows' order, so it is one order on any threads."""
    sql = f"select * from ({features_sql('records', max_key_group_size)}) order by record_key"
    with all_threads(session):
        return records.query("records", sql).to_arrow_table()


@dataclass(frozen=True)
class TrainingOptions:
    """How a build trains its matching model (the er_* vars)."""

    retrain: bool = False
    min_fill_rate: float = DEFAULT_MIN_FILL_RATE
    max_pairs_per_record: float = DEFAULT_MAX_PAIRS_PER_RECORD
    seed: int = DEFAULT_SEED
    starting_model_path: str | Path | None = None
    # The review labels (record_key_l, record_key_r, is_match) training informs m with.
    labels: pd.DataFrame | None = None
    band_edges: tuple[float, ...] = DEFAULT_BAND_EDGES
    label_pseudo_count: float = DEFAULT_PSEUDO_COUNT


def latest_model_row(
    models: duckdb.DuckDBPyRelation,
) -> tuple[str, dict[str, Any], datetime, str]:
    """The registry's most recent model: its id, document, training time and reason."""
    rows = (
        models.order("trained_at desc, model_id desc")
        .project("model_id, model_json, trained_at, training_reason")
        .limit(1)
        .fetchall()
    )
    if not rows:
        raise ValueError("no matching model has been trained on this warehouse")
    model_id, text, trained_at, reason = rows[0]
    return model_id, json.loads(text), trained_at, reason


def model_in_use(
    models: duckdb.DuckDBPyRelation,
) -> tuple[str, dict[str, Any], datetime, str] | None:
    """The registry's latest model (see latest_model_row), or None when nothing was trained
    (fewer than two records)."""
    if not models.limit(1).fetchall():
        return None
    return latest_model_row(models)


def latest_model(models: duckdb.DuckDBPyRelation | None) -> dict[str, Any] | None:
    """The most recently trained model in a registry relation (None when there is none)."""
    if models is None or not models.limit(1).fetchall():
        return None
    return latest_model_row(models)[1]


def train_or_reuse(
    session: Any,
    records: duckdb.DuckDBPyRelation,
    previous: duckdb.DuckDBPyRelation | None,
    options: TrainingOptions,
    *,
    max_key_group_size: int,
) -> pa.Table:
    """A new registry row when this build must train, else no row (the last model is reused).

    The last model is reused unless `options.retrain`, or its training profile no longer
    fits these records or labels (crm_quality.matching.profile.needs_retraining).
    """
    features = matching_features(session, records, max_key_group_size)
    current = profile_features(features)
    labels = options.labels if options.labels is not None and len(options.labels) else None
    if labels is not None:
        current[LABELS_FINGERPRINT] = labels_fingerprint(labels)
    last = latest_model(previous)
    if options.retrain:
        reason = "retraining was asked for (er_retrain)"
    elif last is None:
        reason = "no model trained on this warehouse yet"
    else:
        reason = needs_retraining(
            last["training"]["profile"], current, min_fill_rate=options.min_fill_rate
        )
    if reason is None or features.num_rows < 2:
        return registry_schema().empty_table()
    starting = load_model(options.starting_model_path or DEFAULT_MODEL_PATH)
    with splink_database(session) as db_api:
        model = train_model(
            db_api,
            features,
            seed=options.seed,
            min_fill_rate=options.min_fill_rate,
            max_pairs_per_record=options.max_pairs_per_record,
            starting_model=starting,
            labels=labels,
            band_edges=options.band_edges,
            label_pseudo_count=options.label_pseudo_count,
        )
    model["training"]["reason"] = reason
    return registry_row(model)


def registry_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field("model_id", pa.string()),
            pa.field("trained_at", pa.timestamp("us")),
            pa.field("training_record_count", pa.int64()),
            pa.field("training_reason", pa.string()),
            pa.field("model_json", pa.string()),
        ]
    )


def registry_row(model: dict[str, Any]) -> pa.Table:
    """One registry row: the model document and its content hash as id."""
    text = json.dumps(model, sort_keys=True)
    row = {
        "model_id": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        "trained_at": datetime.now(UTC).replace(tzinfo=None),
        "training_record_count": model["training"]["record_count"],
        "training_reason": model["training"]["reason"],
        "model_json": text,
    }
    return pa.Table.from_pylist([row], schema=registry_schema())
