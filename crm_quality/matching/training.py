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
5. u corrected for the true matches the random sample held, and the prior re-estimated
   (twice): on small data with many duplicates those matches inflate every agreement's u.
6. With a steward's review labels, m shrunk toward the labelled matches' levels
   (crm_quality.matching.label_training), then step 5 again.

The same data and seed always give the same model.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.exceptions import EMTrainingException
from splink.internals.settings import Settings

from crm_quality.matching.blocking import (
    DEFAULT_MAX_PAIRS_PER_RECORD,
    blocking_plan,
    count_key_pairs,
)
from crm_quality.matching.em_pairs import em_pairs_in_one_order
from crm_quality.matching.exact_u import exact_level_pairs, with_exact_u
from crm_quality.matching.label_training import (
    DEFAULT_BAND_EDGES,
    DEFAULT_PSEUDO_COUNT,
    label_informed_m,
)
from crm_quality.matching.model import make_model
from crm_quality.matching.pair_weights import (
    CandidatePairs,
    compare_candidate_pairs,
    log2_bayes_factors,
    sample_stride,
    sampled_rule,
)
from crm_quality.matching.profile import (
    DEFAULT_MIN_FILL_RATE,
    LABELS_FINGERPRINT,
    populated_fields,
    profile_features,
)
from crm_quality.matching.settings import (
    CANDIDATE_DETERMINISTIC_KEYS,
    COMPARISON_FIELDS,
    DERIVED_SETTINGS,
    UNIQUE_ID,
    compared,
    exact_levels,
    keys_within,
    rule,
    settings_creator,
    settings_dict,
    training_keys,
)
from crm_quality.matching.threads import all_threads
from crm_quality.matching.u_sampling import estimate_u

DEFAULT_SEED = 20261126
# Share of true matches the near-certain rules are assumed to find (first prior only).
DETERMINISTIC_RECALL = 0.85
U_SAMPLE_PAIRS = 5e6
# The pairs compared to re-estimate the prior and correct u: where the blocking keys make more
# (summed per key), a sample of records' pairs (pair_weights.py). Their sums need no more to be
# exact to a fraction of a percent; comparing every pair was a third of training at a million
# records. At a million records, 2e6 (1.2M distinct pairs compared) against 6e6 (3.4M): the prior
# 0.12 % apart, every m and u within 2e-5 in log2, training 6 s shorter; 1e6 (0.58M) against
# 2e6: the prior 0.05 % apart, every m and u within 3e-5 in log2, 4.9 CPU seconds fewer.
MAX_COMPARED_PAIRS = 1e6
# The pairs one EM round estimates m on: where its training key makes more, a sample of records'
# pairs. EM needs no more to settle m; every pair cost a quarter of training at a million records.
MAX_EM_PAIRS = 5e5
PRIOR_ITERATIONS = 100
PRIOR_TOLERANCE = 1e-6


def count_records(db_api: DatabaseAPISubClass, table_name: str) -> int:
    counted = db_api.query_sql(f"select count(*) as n from {table_name}", output_type="pandas")
    return int(counted["n"].iloc[0])


def prior_from_weights(
    log2_bayes_factors: np.ndarray, total_pairs: float, start: float, pair_weight: float = 1.0
) -> float:
    """The match prior that explains the candidate pairs' Bayes factors (EM on the prior).

    Each pair's match probability under prior λ is λ·BF / (λ·BF + 1 − λ); the new λ is their
    sum over all record pairs (pairs no key proposes count as non-matches). Each pair given
    stands for `pair_weight` candidate pairs (a sample of them).
    """
    prior = min(max(start, 1e-12), 0.5)
    for _ in range(PRIOR_ITERATIONS):
        log_odds = log2_bayes_factors + math.log2(prior / (1 - prior))
        expected = pair_weight * float(np.sum(1.0 / (1.0 + np.exp2(-log_odds))))
        updated = min(max(expected / total_pairs, 1e-12), 0.5)
        if abs(updated - prior) <= PRIOR_TOLERANCE * prior:
            return updated
        prior = updated
    return prior


def with_fallback_m_values(
    settings: dict[str, Any], model: dict[str, Any], estimated: set[str]
) -> dict[str, Any]:
    """m values from `model` for comparisons no EM round estimated, level by matching label.

    EM starts from Splink's defaults, not from another population's values: started from
    the shipped model it settled elsewhere and linked fewer of FEBRL's duplicates. The
    shipped model only stands in where this data cannot estimate a comparison at all.
    """
    known = {
        (comparison["output_column_name"], level.get("label_for_charts")): level
        for comparison in model["splink_settings"]["comparisons"]
        for level in comparison["comparison_levels"]
    }
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        if name in estimated:
            continue
        for level in comparison["comparison_levels"]:
            source = known.get((name, level.get("label_for_charts")))
            if level.get("fix_m_probability"):
                continue
            if source is not None and source.get("m_probability") is not None:
                level["m_probability"] = source["m_probability"]
    return settings


# Rounds of "correct u for the matches in the random sample, re-estimate the prior".
U_CORRECTION_ROUNDS = 2


def with_u_corrected(
    settings: dict[str, Any],
    expected_matches: dict[str, dict[int, float]],
    total_pairs: float,
    floor: float,
    compared_share: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """u probabilities with the true matches among the random pairs taken out.

    The random sample behind u holds true matches too: their expected number at a level is
    the sum of the candidate pairs' match probabilities at that level over all record pairs
    (`expected_matches[comparison][gamma]`). On a million records that is negligible; on a
    few thousand with many duplicates it is not (FEBRL1: one pair in a thousand is a
    match), and an uncorrected u makes agreement look far more common among strangers than
    it is. Households and namesakes score low, so they stay in u. A comparison's u is a share
    of the pairs it compares (not at its null level: `compared_share` of all pairs, default
    all), so its matches are taken out of those. A corrected u never drops below `floor`
    (half a sampled pair) nor rises above 1 - `floor`: a level every sampled pair fell into
    leaves the others at least the floor.
    """
    shares = compared_share or {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        by_gamma = expected_matches.get(name, {})
        compared = total_pairs * shares.get(name, 1.0)
        if compared <= 0:
            continue
        matched_share = sum(e for gamma, e in by_gamma.items() if gamma != -1) / compared
        for position, level in enumerate(levels):
            u = level.get("u_probability")
            if not isinstance(u, float) or level.get("fix_u_probability"):
                continue
            contamination = by_gamma.get(len(levels) - 1 - position, 0.0) / compared
            corrected = (u - contamination) / (1 - matched_share)
            level["u_probability"] = min(max(corrected, floor), 1.0 - floor)
    return settings


def neutralise_unobserved(
    settings: dict[str, Any], m_floor: float, u_floor: float
) -> tuple[dict[str, Any], list[list[str]]]:
    """Probabilities for the levels training never observed, none of them evidence of a match.

    Splink leaves such a level's m (or u) out of the saved settings and later falls back to
    a default by position, a weight the data never supported. Instead, an m never observed
    among the EM pairs is at most half a pair of them (`m_floor`) and never above u: a
    disagreement no match showed weighs strongly against, a rare agreement no match showed
    weighs nothing. A u never observed among the random pairs is half a sampled pair
    (`u_floor`). Returns the settings and the [comparison, level] pairs filled in.
    """
    unobserved = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if isinstance(m, float) and isinstance(u, float):
                continue
            u = u if isinstance(u, float) else u_floor
            level["u_probability"] = u
            level["m_probability"] = m if isinstance(m, float) else min(m_floor, u)
            unobserved.append([comparison["output_column_name"], level.get("label_for_charts")])
    return settings, unobserved


# The logger Splink warns through of each level an EM round's pairs never showed.
EM_LOGGER = "splink.internals.expectation_maximisation"


class _UnobservedLevelNotices(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "not observed in dataset" not in record.getMessage()


@contextmanager
def unobserved_level_notices_quiet() -> Iterator[None]:
    """Splink's notices of unobserved levels held back: it repeats them round after round (a
    dozen lines in every build's output), while neutralise_unobserved gives those levels their
    probabilities and fct_matching_parameters lists them. Its other warnings still print."""
    quiet = _UnobservedLevelNotices()
    logger = logging.getLogger(EM_LOGGER)
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _em_round(
    training: Any, key: tuple[str, ...], pairs: int, fields: tuple[str, ...], max_pairs: float
) -> dict[str, Any]:
    """One EM round and what it did: its pairs (a sample of about `max_pairs` where the key makes
    more), the comparisons it estimated, convergence."""
    estimated = [name for name in compared(fields) if not set(key) & set(COMPARISON_FIELDS[name])]
    stride = sample_stride(pairs, max_pairs)
    record: dict[str, Any] = {
        "key": list(key),
        "pairs": pairs,
        "sampled_one_record_in": stride,
        "estimated": estimated,
    }
    blocking = sampled_rule(
        rule(key).get_blocking_rule("duckdb").blocking_rule_sql, UNIQUE_ID, stride
    )
    settings = training._linker._settings_obj
    before = settings.core_model_settings.copy()
    try:
        with em_pairs_in_one_order(), unobserved_level_notices_quiet():
            session = training.estimate_parameters_using_expectation_maximisation(blocking)
    except EMTrainingException as error:
        # Splink drops the round's blocked comparisons from the model before it finds no
        # pairs and never puts them back: every later round and the model would lack them.
        settings.core_model_settings = before
        return {**record, "iterations": 0, "converged": False, "error": str(error)[:200]}
    iterations = len(session._core_model_settings_history) - 1
    max_iterations = session.training_settings.max_iterations
    return {**record, "iterations": iterations, "converged": iterations < max_iterations}


def _refined_prior(
    pairs: CandidatePairs, settings: Settings, record_count: int
) -> tuple[float, dict[str, dict[int, float]], float]:
    """Re-estimate the prior from every candidate pair's Bayes factor under `settings`.

    Also returns, per comparison and level (gamma), the candidate pairs' summed match
    probability under the new prior (the expected number of true matches at that level),
    and that sum over all candidate pairs.
    """
    log2_bfs = log2_bayes_factors(pairs, settings)
    total_pairs = record_count * (record_count - 1) / 2
    refined = prior_from_weights(
        log2_bfs, total_pairs, settings._probability_two_random_records_match, pairs.weight
    )
    probabilities = 1.0 / (1.0 + np.exp2(-(log2_bfs + math.log2(refined / (1 - refined)))))
    expected = {}
    for name, gamma in pairs.gammas.items():
        values, positions = np.unique(gamma, return_inverse=True)
        sums = np.bincount(positions, weights=probabilities, minlength=len(values))
        expected[name] = {
            int(value): pairs.weight * float(total)
            for value, total in zip(values, sums, strict=True)
        }
    return refined, expected, pairs.weight * float(probabilities.sum())


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
    labels: pd.DataFrame | None = None,
    label_pseudo_count: float = DEFAULT_PSEUDO_COUNT,
    band_edges: tuple[float, ...] = DEFAULT_BAND_EDGES,
    max_compared_pairs: float = MAX_COMPARED_PAIRS,
    max_em_pairs: float = MAX_EM_PAIRS,
) -> dict[str, Any]:
    """Train on `features` (Arrow or pandas, the crm_quality.matching.features columns).

    `starting_model` (the shipped model) lends its m values to comparisons no EM round could
    estimate on this data; everything the data can estimate is estimated from it.
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
    start_prior = 1 / max(record_count, 2)
    settings = settings_dict(settings_creator(fields, keys, start_prior))
    linker = Linker(records, settings, log_level=logging.WARNING)
    training = linker.training
    deterministic = keys_within(CANDIDATE_DETERMINISTIC_KEYS, fields)
    first_prior = None
    if deterministic:
        try:
            # Counts of the pairs each rule makes: the same on any threads.
            with all_threads(db_api):
                training.estimate_probability_two_random_records_match(
                    [rule(key) for key in deterministic], recall=deterministic_recall
                )
            first_prior = linker._settings_obj._probability_two_random_records_match
        except (ValueError, ZeroDivisionError):
            pass
    if not first_prior:
        # No near-certain pair at all (a clean export): a prior of 0 has no log-odds, so start
        # from one match per record and let the trained weights re-estimate it.
        linker._settings_obj._probability_two_random_records_match = start_prior
    # u is counts over a sample picked by a hash of the record ids: the same on any threads.
    # Splink's estimate, its pairs compared once for all comparisons (u_sampling.py).
    with all_threads(db_api):
        compared_share = estimate_u(linker, u_sample_pairs, seed)
    em_pairs: dict[tuple[str, ...], int] = {}

    def key_pairs(key: tuple[str, ...]) -> int:
        if key not in em_pairs:
            em_pairs.update(count_key_pairs(db_api, records.physical_name, [key]))
        return em_pairs[key]

    em_keys = training_keys(fields, key_pairs)
    rounds = [_em_round(training, key, em_pairs[key], fields, max_em_pairs) for key in em_keys]
    trained = settings_dict(linker.misc.save_model_to_json())
    if starting_model is not None:
        estimated = {
            name for round_ in rounds if round_["converged"] for name in round_["estimated"]
        }
        trained = with_fallback_m_values(trained, starting_model, estimated)
    total_pairs = record_count * (record_count - 1) / 2
    # The household levels' u counted over every pair, not sampled (exact_u.py).
    level_pairs = exact_level_pairs(db_api, records.physical_name, exact_levels(fields))
    compared_pairs = {name: share * total_pairs for name, share in compared_share.items()}
    trained = with_exact_u(trained, level_pairs, compared_pairs)
    floor = 0.5 / max(min(u_sample_pairs, total_pairs), 1)
    em_pair_count = sum(
        round_["pairs"] / round_["sampled_one_record_in"]
        for round_ in rounds
        if round_["converged"]
    )
    trained, unobserved = neutralise_unobserved(trained, 0.5 / max(em_pair_count, 1), floor)
    # Drop the working tables and forget them, so a later linker on `db_api` recomputes.
    linker.table_management.invalidate_cache()
    sampled_u = copy.deepcopy(trained)
    # Later rounds change only u and the prior: the pairs are compared once and weighed again.
    stride = sample_stride(
        sum(row["pairs"] for row in plan["candidates"] if row["used"]), max_compared_pairs
    )
    pairs = compare_candidate_pairs(linker, stride)
    trained = _with_corrected_u(
        pairs, linker._settings_obj, sampled_u, records, record_count, floor, compared_share
    )
    method = "unsupervised: random-sample u, EM m, prior from trained weights"
    label_report = None
    if labels is not None and len(labels):
        # The unsupervised model's bands are the strata the labels are weighed by; then u and
        # the prior are corrected again under the label-informed m.
        scoring = Linker(records, trained, **DERIVED_SETTINGS)
        sampled_u, label_report = label_informed_m(
            scoring, pairs, labels, sampled_u, edges=band_edges, pseudo_count=label_pseudo_count
        )
        informed = Linker(records, sampled_u, **DERIVED_SETTINGS)
        trained = _with_corrected_u(
            pairs, informed._settings_obj, sampled_u, records, record_count, floor, compared_share
        )
        profile = {**profile, LABELS_FINGERPRINT: label_report["fingerprint"]}
        method = "label-informed: random-sample u, EM m shrunk toward labelled matches"
    prior = trained["probability_two_random_records_match"]
    training_facts = {
        "seed": seed,
        "u_sample_pairs": u_sample_pairs,
        "deterministic_recall": deterministic_recall,
        "method": method,
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
        "compared_pairs": {"sampled_one_record_in": stride, "compared": pairs.count},
    }
    if label_report is not None:
        training_facts["labels"] = label_report
    return make_model(trained, record_count, training_facts)


def _with_corrected_u(
    pairs: CandidatePairs,
    scoring: Settings,
    sampled_u: dict[str, Any],
    records: Any,
    record_count: int,
    floor: float,
    compared_share: Mapping[str, float],
) -> dict[str, Any]:
    """`sampled_u` with u corrected for the matches among the random pairs and the prior
    re-estimated, in rounds, starting from the candidate pairs' weights under `scoring`."""
    total_pairs = record_count * (record_count - 1) / 2
    prior, expected, _ = _refined_prior(pairs, scoring, record_count)
    for _ in range(U_CORRECTION_ROUNDS):
        trained = with_u_corrected(
            copy.deepcopy(sampled_u), expected, total_pairs, floor, compared_share
        )
        trained["probability_two_random_records_match"] = prior
        rescored = Linker(records, trained, **DERIVED_SETTINGS)
        prior, expected, _ = _refined_prior(pairs, rescored._settings_obj, record_count)
    trained["probability_two_random_records_match"] = prior
    return trained
