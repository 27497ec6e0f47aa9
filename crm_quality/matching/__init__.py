"""Entity resolution: score record pairs with a trained model, cluster them into customers.

Engine-agnostic: features are plain SQL, the model is Splink settings (SQL generated per
engine), training and scoring take any Splink database API, clustering is numpy. The
DuckDB/dbt glue lives in `duckdb_backend`; docs/entity_resolution.md has the design.
"""

from crm_quality.matching.clusters import cluster_pairs_at_thresholds, cluster_records
from crm_quality.matching.features import features_sql
from crm_quality.matching.model import load_model, save_model, settings_for_records
from crm_quality.matching.prediction import score_pairs
from crm_quality.matching.training import train_model

__all__ = [
    "cluster_pairs_at_thresholds",
    "cluster_records",
    "features_sql",
    "load_model",
    "save_model",
    "score_pairs",
    "settings_for_records",
    "train_model",
]
