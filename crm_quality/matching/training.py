"""Unsupervised training of the person-matching model (no labels needed).

1. The prior: how many pairs near-certain rules find, scaled up by their assumed recall.
2. u probabilities: how often each comparison level occurs among random pairs (seeded).
3. m probabilities: expectation maximisation, one round per training blocking rule; each
   round estimates the comparisons its rule does not block on.

The same data and seed always give the same model.
"""

from __future__ import annotations

import logging
from typing import Any

from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass

from crm_quality.matching.model import make_model
from crm_quality.matching.settings import (
    deterministic_rules,
    settings_creator,
    settings_dict,
    training_blocking_rules,
)

DEFAULT_SEED = 20261126
# Share of true matches the deterministic rules are assumed to find.
DETERMINISTIC_RECALL = 0.85
U_SAMPLE_PAIRS = 2e7


def count_records(db_api: DatabaseAPISubClass, table_name: str) -> int:
    counted = db_api.query_sql(f"select count(*) as n from {table_name}", output_type="pandas")
    return int(counted["n"].iloc[0])


def train_model(
    db_api: DatabaseAPISubClass,
    features: Any,
    *,
    seed: int = DEFAULT_SEED,
    u_sample_pairs: float = U_SAMPLE_PAIRS,
    deterministic_recall: float = DETERMINISTIC_RECALL,
) -> dict[str, Any]:
    """Train on `features` (a table Splink can register: Arrow, pandas or a table name).

    Returns the model document (see crm_quality.matching.model).
    """
    records = db_api.register(features)
    record_count = count_records(db_api, records.physical_name)
    linker = Linker(records, settings_creator(), log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        deterministic_rules(), recall=deterministic_recall
    )
    training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs, seed=seed)
    for rule in training_blocking_rules():
        training.estimate_parameters_using_expectation_maximisation(rule)
    settings = settings_dict(linker.misc.save_model_to_json())
    # Drop the working tables and forget them, so a later linker on `db_api` recomputes.
    linker.table_management.invalidate_cache()
    return make_model(
        settings,
        record_count,
        {
            "seed": seed,
            "u_sample_pairs": u_sample_pairs,
            "deterministic_recall": deterministic_recall,
            "method": "unsupervised: deterministic-rule prior, random-sample u, EM m",
        },
    )
