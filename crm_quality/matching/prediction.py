"""Scoring candidate pairs with the trained model: Splink predictions as a lean pair table.

The build scores in SQL (macros/matching/matching_scored_pairs.sql, rendered from the model);
this is the reference it is tested against.

A pair row carries the two record keys, the comparison level of every comparison (its
label), each comparison's match weight (log2 Bayes factor, term-frequency adjustment
included), the total match weight and the match probability. It never carries the compared
values themselves, so the pair table holds no e-mails, phones or names.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from crm_quality.matching.model import settings_for_records
from crm_quality.matching.settings import COMPARISONS, UNIQUE_ID
from crm_quality.matching.training import count_records

# Candidate pairs below this are not worth keeping anywhere.
DEFAULT_MIN_MATCH_PROBABILITY = 0.01
# The level of a comparison the model does not make on this data.
NOT_COMPARED = "not compared"


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Comparison -> {gamma value: level label}; the null level is -1, the else level 0."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        by_gamma = {-1: "null"}
        for position, level in enumerate(non_null):
            by_gamma[len(non_null) - 1 - position] = level.get("label_for_charts", "")
        labels[comparison["output_column_name"]] = by_gamma
    return labels


def _level_case_sql(comparison: str, labels: dict[int, str]) -> str:
    whens = " ".join(
        f"when gamma_{comparison} = {gamma} then '{label.replace(chr(39), chr(39) * 2)}'"
        for gamma, label in labels.items()
    )
    return f"case {whens} end"


def pair_select_sql(predictions_table: str, settings: dict[str, Any]) -> str:
    """The lean pair table over Splink's predictions (with intermediate columns retained)."""
    labels = level_labels(settings)
    columns = [
        f"{UNIQUE_ID}_l",
        f"{UNIQUE_ID}_r",
        "source_system_l",
        "source_system_r",
    ]
    for comparison in COMPARISONS:
        if comparison not in labels:
            # Not compared on this data (its fields are not populated): no evidence either way.
            columns.append(f"'{NOT_COMPARED}' as {comparison}_level")
            columns.append(f"cast(0 as double) as {comparison}_match_weight")
            continue
        weight = f"mw_{comparison}"
        if comparison in _tf_comparisons(settings):
            weight = f"mw_{comparison} + mw_tf_adj_{comparison}"
        columns.append(f"{_level_case_sql(comparison, labels[comparison])} as {comparison}_level")
        columns.append(f"cast({weight} as double) as {comparison}_match_weight")
    columns.append("cast(match_weight as double) as match_weight")
    columns.append("cast(match_probability as double) as match_probability")
    return "select\n    " + ",\n    ".join(columns) + f"\nfrom {predictions_table}"


def _tf_comparisons(settings: dict[str, Any]) -> set[str]:
    return {
        comparison["output_column_name"]
        for comparison in settings["comparisons"]
        if any(level.get("tf_adjustment_column") for level in comparison["comparison_levels"])
    }


def pair_table_schema() -> pa.Schema:
    """The columns of the lean pair table, for an empty result of the same shape."""
    fields = [
        pa.field(f"{UNIQUE_ID}_l", pa.string()),
        pa.field(f"{UNIQUE_ID}_r", pa.string()),
        pa.field("source_system_l", pa.string()),
        pa.field("source_system_r", pa.string()),
    ]
    for comparison in COMPARISONS:
        fields.append(pa.field(f"{comparison}_level", pa.string()))
        fields.append(pa.field(f"{comparison}_match_weight", pa.float64()))
    fields.append(pa.field("match_weight", pa.float64()))
    fields.append(pa.field("match_probability", pa.float64()))
    return pa.schema(fields)


def score_pairs(
    db_api: DatabaseAPISubClass,
    features: Any,
    model: dict[str, Any],
    *,
    min_match_probability: float = DEFAULT_MIN_MATCH_PROBABILITY,
    record_count: int | None = None,
) -> SplinkDataFrame:
    """Candidate pairs of `features` scored by `model`, at or above `min_match_probability`.

    `features` is anything Splink can register (Arrow, pandas, a table name). Returns the
    lean pair table as a SplinkDataFrame on `db_api`; drop Splink's working tables with
    `db_api.delete_tables_created_by_splink_from_db()` once it has been read.
    """
    records = db_api.register(features)
    if record_count is None:
        record_count = count_records(db_api, records.physical_name)
    settings = settings_for_records(model, record_count)
    linker = Linker(records, settings, log_level=logging.WARNING)
    predictions = linker.inference.predict(
        threshold_match_probability=min_match_probability, warning_mode="never"
    )
    return db_api.query_sql(pair_select_sql(predictions.physical_name, settings))
