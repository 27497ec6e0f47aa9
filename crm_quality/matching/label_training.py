"""m probabilities informed by a data steward's review labels.

The review sample (crm_quality.review) over-samples the uncertain match bands, so its labelled
matches are not a random sample of matches, which Splink's `estimate_m_from_pairwise_labels`
assumes. Here each labelled pair counts with its design weight: its stratum's size among the
candidate pairs (banded by the unsupervised model's match probability, as macro match_band
bands them) over the labels in that stratum. The weighted share of labelled matches at each
comparison level is then shrunk toward the unsupervised EM m with a pseudo-count: a few dozen
labels move the model, a few cannot overrule it.

Near misses of missing customers are a stratum of the sample but not of the candidate pairs:
here they count in their band. Labelled non-matches do not inform u: u comes from millions of
random pairs, and non-matches from the uncertain bands are no sample of strangers.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from splink import Linker
from splink.internals.block_from_labels import block_from_labels
from splink.internals.comparison_vector_values import compute_comparison_vector_values_sql
from splink.internals.pipeline import CTEPipeline
from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings
from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

from crm_quality.matching.pair_weights import CandidatePairs, log2_bayes_factors
from crm_quality.matching.settings import UNIQUE_ID

# How many labelled matches the unsupervised m counts as (see docs/review.md, measured in
# benchmarks/label_training.md).
DEFAULT_PSEUDO_COUNT = 20.0
# The bands' lower edges, as the vars er_pair_min_match_probability, er_lenient_match_threshold,
# er_match_threshold and er_conservative_match_threshold default.
DEFAULT_BAND_EDGES = (0.01, 0.5, 0.9, 0.99)
STRATA = (
    "not_scored",
    "below_lenient",
    "lenient_to_headline",
    "headline_to_conservative",
    "conservative",
)
LABEL_COLUMNS = ("record_key_l", "record_key_r", "is_match")


def labels_fingerprint(labels: pd.DataFrame) -> str:
    """A hash of the labelled pairs and answers, whichever order each pair was written in:
    a model trained on other labels is retrained."""
    lines = sorted(
        "\x1f".join((*sorted((str(left), str(right))), str(int(bool(match)))))
        for left, right, match in labels[list(LABEL_COLUMNS)].itertuples(index=False)
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def strata_of(probabilities: np.ndarray, edges: Sequence[float] = DEFAULT_BAND_EDGES) -> np.ndarray:
    """Each pair's stratum (STRATA) by match probability: below the scoring floor, or a band."""
    return np.asarray(STRATA)[np.searchsorted(np.asarray(edges), probabilities, side="right")]


def stratum_sizes(
    probabilities: np.ndarray, edges: Sequence[float], pair_weight: float = 1.0
) -> dict[str, int]:
    """Candidate pairs per stratum, from their match probabilities; each pair given stands for
    `pair_weight` candidate pairs (a sample of them)."""
    names, counts = np.unique(strata_of(probabilities, edges), return_counts=True)
    return {
        str(name): round(int(count) * pair_weight)
        for name, count in zip(names, counts, strict=True)
    }


def design_weights(strata: np.ndarray, stratum_sizes: Mapping[str, int]) -> np.ndarray:
    """Each labelled pair's weight: its stratum's size over the labels drawn from it."""
    names, counts = np.unique(strata, return_counts=True)
    labelled = dict(zip(names.tolist(), counts.tolist(), strict=True))
    return np.array(
        [max(stratum_sizes.get(stratum, 0), 1) / labelled[stratum] for stratum in strata.tolist()],
        dtype=np.float64,
    )


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size: unequal weights count as fewer labels."""
    return float(weights.sum() ** 2 / (weights**2).sum()) if len(weights) else 0.0


def shrunk_m(
    gamma: np.ndarray,
    weights: np.ndarray,
    unsupervised_m: Mapping[int, float],
    pseudo_count: float,
) -> tuple[dict[int, float], float]:
    """Per level (gamma) the weighted share of labelled matches there, shrunk toward
    `unsupervised_m` as if it were `pseudo_count` labels; and the effective sample size.
    Matches with the comparison null (gamma -1) say nothing about it."""
    observed = gamma >= 0
    gamma, weights = gamma[observed], weights[observed]
    size = effective_sample_size(weights)
    total = weights.sum()
    shares = {
        level: float(weights[gamma == level].sum() / total) if total else 0.0
        for level in unsupervised_m
    }
    return {
        level: (size * shares[level] + pseudo_count * m) / (size + pseudo_count)
        if size + pseudo_count
        else m
        for level, m in unsupervised_m.items()
    }, size


def _levels(comparison: Mapping[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The non-null levels with their gamma (the first level has the highest)."""
    levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
    return [(len(levels) - 1 - position, level) for position, level in enumerate(levels)]


def with_label_m(
    settings: dict[str, Any],
    gammas: Mapping[str, np.ndarray],
    weights: np.ndarray,
    pseudo_count: float = DEFAULT_PSEUDO_COUNT,
) -> tuple[dict[str, Any], dict[str, float]]:
    """`settings` with every comparison's m shrunk toward the labelled matches' levels
    (`gammas` per comparison and `weights`, one per labelled match); returns the settings and
    the effective sample size per comparison."""
    sizes = {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = _levels(comparison)
        unsupervised = {gamma: float(level["m_probability"]) for gamma, level in levels}
        estimated, sizes[name] = shrunk_m(gammas[name], weights, unsupervised, pseudo_count)
        for gamma, level in levels:
            if not level.get("fix_m_probability"):
                level["m_probability"] = estimated[gamma]
    return settings, sizes


def score_labelled_pairs(linker: Linker, labels: pd.DataFrame) -> pd.DataFrame:
    """The labelled pairs the linker's records hold, with each comparison's level (gamma) and
    the match probability under the linker's settings, computed by Splink's own SQL, as
    `estimate_m_from_pairwise_labels` computes them. Pairs naming an unknown record are absent.
    """
    settings = linker._settings_obj
    table = linker.table_management.register_table(
        labels[[f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r"]].drop_duplicates(),
        "__crm_labelled_pairs",
        overwrite=True,
    )
    pipeline = CTEPipeline()
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(block_from_labels(linker, table.physical_name))
    vectors = compute_comparison_vector_values_sql(
        settings._columns_to_select_for_comparison_vector_values
    )
    pipeline.enqueue_sql(vectors, "__splink__df_comparison_vectors")
    pipeline.enqueue_list_of_sqls(predict_from_comparison_vectors_sqls_using_settings(settings))
    predictions = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    gammas = {c.output_column_name: c._gamma_column_name for c in settings.comparisons}
    selected = ", ".join(f"cast({column} as tinyint) as {name}" for name, column in gammas.items())
    frame = linker._db_api.query_sql(
        f"select {UNIQUE_ID}_l, {UNIQUE_ID}_r, {selected}, match_probability"
        f" from {predictions.physical_name}",
        output_type="pandas",
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    return frame


def oriented(labels: pd.DataFrame) -> pd.DataFrame:
    """One row per pair (the smaller key on the left, as Splink orders a pair), the last
    answer given winning, records paired with themselves left out."""
    left = labels["record_key_l"].astype(str)
    right = labels["record_key_r"].astype(str)
    frame = pd.DataFrame(
        {
            f"{UNIQUE_ID}_l": np.where(left < right, left, right),
            f"{UNIQUE_ID}_r": np.where(left < right, right, left),
            "is_match": labels["is_match"].astype(bool).to_numpy(),
        }
    )
    frame = frame[frame[f"{UNIQUE_ID}_l"] != frame[f"{UNIQUE_ID}_r"]]
    return frame.drop_duplicates([f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r"], keep="last")


def label_informed_m(
    linker: Linker,
    pairs: CandidatePairs,
    labels: pd.DataFrame,
    unsupervised: dict[str, Any],
    *,
    edges: Sequence[float] = DEFAULT_BAND_EDGES,
    pseudo_count: float = DEFAULT_PSEUDO_COUNT,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`unsupervised` settings with m informed by `labels` (LABEL_COLUMNS), and what was done.

    `linker` scores with the unsupervised model: its bands of the candidate `pairs` are the
    strata whose sizes weigh the labels, as the review sample was drawn from them.
    """
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    log_odds = log2_bayes_factors(pairs, settings) + math.log2(prior / (1 - prior))
    sizes = stratum_sizes(1.0 / (1.0 + np.exp2(-log_odds)), edges, pairs.weight)
    given = oriented(labels)
    scored = given.merge(
        score_labelled_pairs(linker, given), on=[f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r"]
    )
    strata = strata_of(scored["match_probability"].to_numpy(np.float64), edges)
    weights = design_weights(strata, sizes)
    matches = scored["is_match"].to_numpy(bool)
    gammas = {
        comparison.output_column_name: scored[comparison.output_column_name].to_numpy(np.int8)[
            matches
        ]
        for comparison in settings.comparisons
    }
    informed, sizes_per_comparison = with_label_m(
        copy.deepcopy(unsupervised), gammas, weights[matches], pseudo_count
    )
    labelled = dict(zip(*np.unique(strata, return_counts=True), strict=True))
    report = {
        "method": "m from labelled matches, design-weighted by match band, shrunk toward EM m",
        "pseudo_count": pseudo_count,
        "pairs_given": int(len(labels)),
        "pairs_used": int(len(scored)),
        "pairs_ignored": {
            "same pair again or a record paired with itself": int(len(labels) - len(given)),
            "a record not in the data": int(len(given) - len(scored)),
        },
        "matches_used": int(matches.sum()),
        "non_matches_used": int((~matches).sum()),
        "strata": {
            stratum: {"pairs": sizes.get(stratum, 0), "labelled": int(labelled.get(stratum, 0))}
            for stratum in STRATA
        },
        "effective_sample_size": {
            name: round(size, 3) for name, size in sizes_per_comparison.items()
        },
        "fingerprint": labels_fingerprint(labels),
    }
    return informed, report
