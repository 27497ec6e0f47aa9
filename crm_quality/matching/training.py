"""Unsupervised training on the data being resolved (no labels needed).

The model's shape comes from the data (crm_quality.matching.profile): only populated fields
are compared, blocking keys are the populated ones that stay small, and EM rounds are
chosen so every comparison is estimated in a round not blocked on it.

1. First prior: the pairs near-certain rules on the populated fields find, scaled by their
   assumed recall.
2. u probabilities: how often each comparison level occurs among random pairs (seeded).
3. m probabilities: expectation maximisation, one round per training key.
4. The prior again, now from the trained weights: the expected number of matches among all
   candidate pairs (an EM on the prior alone), so it no longer rests on the near-certain
   rules' assumed recall, which is wrong wherever those fields are typo-prone.

The same data and seed always give the same model.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.exceptions import EMTrainingException

from crm_quality.matching.blocking import (
    DEFAULT_MAX_PAIRS_PER_RECORD,
    blocking_plan,
    count_key_pairs,
)
from crm_quality.matching.model import make_model
from crm_quality.matching.profile import (
    DEFAULT_MIN_FILL_RATE,
    populated_fields,
    profile_features,
)
from crm_quality.matching.settings import (
    CANDIDATE_DETERMINISTIC_KEYS,
    COMPARISON_FIELDS,
    compared,
    keys_within,
    rule,
    settings_creator,
    settings_dict,
    training_keys,
)

DEFAULT_SEED = 20261126
# Share of true matches the near-certain rules are assumed to find (first prior only).
DETERMINISTIC_RECALL = 0.85
U_SAMPLE_PAIRS = 5e6
PRIOR_ITERATIONS = 100
PRIOR_TOLERANCE = 1e-6


def count_records(db_api: DatabaseAPISubClass, table_name: str) -> int:
    counted = db_api.query_sql(f"select count(*) as n from {table_name}", output_type="pandas")
    return int(counted["n"].iloc[0])


def prior_from_weights(log2_bayes_factors: np.ndarray, total_pairs: float, start: float) -> float:
    """The match prior that explains the candidate pairs' Bayes factors (EM on the prior).

    Each pair's match probability under prior λ is λ·BF / (λ·BF + 1 − λ); the new λ is their
    sum over all record pairs (pairs no key proposes count as non-matches).
    """
    prior = min(max(start, 1e-12), 0.5)
    for _ in range(PRIOR_ITERATIONS):
        log_odds = log2_bayes_factors + math.log2(prior / (1 - prior))
        expected = float(np.sum(1.0 / (1.0 + np.exp2(-log_odds))))
        updated = min(max(expected / total_pairs, 1e-12), 0.5)
        if abs(updated - prior) <= PRIOR_TOLERANCE * prior:
            return updated
        prior = updated
    return prior


def with_starting_values(settings: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    """`settings` with m and u from `model` wherever a comparison level has the same label."""
    known = {
        (comparison["output_column_name"], level.get("label_for_charts")): level
        for comparison in model["splink_settings"]["comparisons"]
        for level in comparison["comparison_levels"]
    }
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            source = known.get((comparison["output_column_name"], level.get("label_for_charts")))
            for key in ("m_probability", "u_probability"):
                if source is not None and source.get(key) is not None:
                    level[key] = source[key]
    return settings


# The stand-in for a probability training could not estimate at all.
UNKNOWN_PROBABILITY = 1e-6


def neutralise_unobserved(settings: dict[str, Any]) -> tuple[dict[str, Any], list[list[str]]]:
    """Give a level training never observed a weight of zero: no evidence either way.

    Splink leaves such a level's m (or u) out of the saved settings and later falls back to
    a default by position, which can be a strong weight the data never supported. Returns
    the settings and the [comparison, level] pairs that were neutralised.
    """
    unobserved = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if isinstance(m, float) and isinstance(u, float):
                continue
            known = m if isinstance(m, float) else u if isinstance(u, float) else None
            level["m_probability"] = level["u_probability"] = known or UNKNOWN_PROBABILITY
            unobserved.append([comparison["output_column_name"], level.get("label_for_charts")])
    return settings, unobserved


def _em_round(
    training: Any, key: tuple[str, ...], pairs: int, fields: tuple[str, ...]
) -> dict[str, Any]:
    """One EM round and what it did: its pairs, the comparisons it estimated, convergence."""
    estimated = [name for name in compared(fields) if not set(key) & set(COMPARISON_FIELDS[name])]
    record: dict[str, Any] = {"key": list(key), "pairs": pairs, "estimated": estimated}
    try:
        session = training.estimate_parameters_using_expectation_maximisation(rule(key))
    except EMTrainingException as error:
        return {**record, "iterations": 0, "converged": False, "error": str(error)[:200]}
    iterations = len(session._core_model_settings_history) - 1
    max_iterations = session.training_settings.max_iterations
    return {**record, "iterations": iterations, "converged": iterations < max_iterations}


def _refined_prior(linker: Linker, record_count: int) -> float:
    """Re-estimate the prior from every candidate pair's trained Bayes factor."""
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    predictions = linker.inference.predict(warning_mode="never")
    weights = linker._db_api.query_sql(
        f"select match_weight from {predictions.physical_name}", output_type="pandas"
    )["match_weight"].to_numpy(dtype=float)
    predictions.drop_table_from_database_and_remove_from_cache()
    log2_bayes_factors = weights - math.log2(prior / (1 - prior))
    total_pairs = record_count * (record_count - 1) / 2
    return prior_from_weights(log2_bayes_factors, total_pairs, prior)


def train_model(
    db_api: DatabaseAPISubClass,
    features: pa.Table | pd.DataFrame,
    *,
    seed: int = DEFAULT_SEED,
    min_fill_rate: float = DEFAULT_MIN_FILL_RATE,
    max_pairs_per_record: float = DEFAULT_MAX_PAIRS_PER_RECORD,
    u_sample_pairs: float = U_SAMPLE_PAIRS,
    deterministic_recall: float = DETERMINISTIC_RECALL,
    starting_model: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train on `features` (Arrow or pandas, the crm_quality.matching.features columns).

    `starting_model` (the shipped model) gives EM its starting m and u values for levels of
    the same shape; every parameter the data can estimate is then estimated from the data.
    Returns the model document (crm_quality.matching.model), with the data profile and the
    training diagnostics.
    """
    if not isinstance(features, pa.Table):
        features = pa.Table.from_pandas(features, preserve_index=False)
    profile = profile_features(features)
    fields = populated_fields(profile, min_fill_rate)
    records = db_api.register(features)
    record_count = features.num_rows
    plan = blocking_plan(db_api, records.physical_name, fields, record_count, max_pairs_per_record)
    keys = [tuple(key) for key in plan["keys"]]
    settings = settings_dict(settings_creator(fields, keys, 1 / max(record_count, 2)))
    if starting_model is not None:
        settings = with_starting_values(settings, starting_model)
    linker = Linker(records, settings, log_level=logging.WARNING)
    training = linker.training
    deterministic = keys_within(CANDIDATE_DETERMINISTIC_KEYS, fields)
    first_prior = None
    if deterministic:
        try:
            training.estimate_probability_two_random_records_match(
                [rule(key) for key in deterministic], recall=deterministic_recall
            )
            first_prior = linker._settings_obj._probability_two_random_records_match
        except (ValueError, ZeroDivisionError):
            pass  # no near-certain pair at all: keep one match per record as the start
    training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs, seed=seed)
    em_keys = training_keys(fields)
    em_pairs = count_key_pairs(db_api, records.physical_name, em_keys)
    rounds = [_em_round(training, key, em_pairs[key], fields) for key in em_keys]
    prior = _refined_prior(linker, record_count)
    linker._settings_obj._probability_two_random_records_match = prior
    trained, unobserved = neutralise_unobserved(settings_dict(linker.misc.save_model_to_json()))
    # Drop the working tables and forget them, so a later linker on `db_api` recomputes.
    linker.table_management.invalidate_cache()
    return make_model(
        trained,
        record_count,
        {
            "seed": seed,
            "u_sample_pairs": u_sample_pairs,
            "deterministic_recall": deterministic_recall,
            "method": "unsupervised: random-sample u, EM m, prior from trained weights",
            "min_fill_rate": min_fill_rate,
            "max_pairs_per_record": max_pairs_per_record,
            "profile": profile,
            "fields": list(fields),
            "comparisons": list(compared(fields)),
            "blocking": plan,
            "deterministic_keys": [list(key) for key in deterministic],
            "first_prior": first_prior,
            "prior": prior,
            "em_rounds": rounds,
            "unobserved_levels": unobserved,
        },
    )
