"""Every candidate pair's match weight under any u and prior, from one Splink pass.

Training re-estimates the prior and corrects u in rounds (training.py), each needing the
match weight of every candidate pair. A pair's comparison levels (gammas) do not change between
rounds, only the weights of the levels do; so the pairs are compared once, keeping each pair's
gammas and its weight under the settings it was scored with, and each round moves that weight
by the change of its levels' weights, as Splink's prediction SQL would weigh it.

Term-frequency adjustments move too: at a level adjusted for term frequency the adjustment is
w·(log2 u_exact − log2 tf), and the pair's tf is fixed, so a new u_exact moves it by
w·Δlog2 u_exact. Such levels are exact matches, where both values, hence their tf, exist.
Only 8 bytes and one small integer per comparison are kept per pair: at a million records the
candidate pairs number tens of millions. The pass itself keeps no more: Splink's predict()
would store both records' compared values and every intermediate column of every pair (12.7 GB
at 1.9 M records), so the same prediction SQL runs with only the levels and the weight as output.
With a `stride` above 1, only the pairs whose first record (the lower id) a hash picks, one
record in `stride`, are blocked and compared, each standing for `stride` candidate pairs: the
sums training takes over them (expected matches per level) need only a few million pairs, and
the blocking joins, most of the pass, shrink with the sample.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from splink import Linker
from splink.internals.comparison import Comparison
from splink.internals.comparison_vector_values import (
    compute_comparison_vector_values_from_id_pairs_sqls,
)
from splink.internals.dialects import SplinkDialect
from splink.internals.pipeline import CTEPipeline
from splink.internals.predict import predict_from_comparison_vectors_sqls
from splink.internals.settings import Settings
from splink.internals.splink_dataframe import SplinkDataFrame
from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

from crm_quality.matching.settings import DERIVED_SETTINGS
from crm_quality.matching.threads import all_threads


@dataclass(frozen=True)
class CandidatePairs:
    """The candidate pairs' gamma per comparison, their log2 Bayes factor (the match weight
    without the prior's term) under `base`, and `base`'s level weights."""

    gammas: dict[str, np.ndarray]
    base_log2_bayes_factors: np.ndarray
    base: dict[str, tuple[np.ndarray, int, dict[int, float]]]
    # How many candidate pairs each compared pair stands for (1 unless they were sampled).
    weight: float = 1.0

    @property
    def count(self) -> int:
        return len(self.base_log2_bayes_factors)


def _weights(comparison: Comparison) -> tuple[np.ndarray, int, dict[int, float]]:
    """A comparison's level weights by gamma (offset so the null level's -1 indexes 0), the
    offset, and per term-frequency level its w·log2 u_exact."""
    levels = comparison.comparison_levels
    offset = -min(level.comparison_vector_value for level in levels)
    table = np.zeros(max(level.comparison_vector_value for level in levels) + offset + 1)
    tf_terms = {}
    for level in levels:
        table[level.comparison_vector_value + offset] = level._match_weight
        if _adjusts_for_term_frequency(level):
            u_exact = level._u_probability_corresponding_to_exact_match(levels)
            tf_terms[level.comparison_vector_value] = level._tf_adjustment_weight * math.log2(
                u_exact
            )
    return table, offset, tf_terms


def _adjusts_for_term_frequency(level) -> bool:
    return (
        level._has_tf_adjustments
        and level._tf_adjustment_weight != 0
        and not level._is_else_level
        and level.comparison_vector_value != -1
    )


def compare_candidate_pairs(linker: Linker, stride: int = 1) -> CandidatePairs:
    """Compare the pairs the linker's blocking rules propose (one Splink prediction pass):
    all of them, or those of one first record in `stride`."""
    settings = linker._settings_obj
    if stride > 1:
        (records,) = linker._input_tables_dict.values()
        sampled = sampled_blocking(linker.misc.save_model_to_json(), stride)
        linker = Linker(records, sampled, **DERIVED_SETTINGS)
    predictions = _levels_and_weights(linker)
    frame = linker._db_api.query_sql(
        f"select * from {predictions.physical_name}", output_type="pandas"
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    prior = settings._probability_two_random_records_match
    weights = frame["match_weight"].to_numpy(dtype=np.float64)
    return CandidatePairs(
        gammas={
            comparison.output_column_name: frame[comparison._gamma_column_name].to_numpy(np.int8)
            for comparison in settings.comparisons
        },
        base_log2_bayes_factors=weights - math.log2(prior / (1 - prior)),
        base={
            comparison.output_column_name: _weights(comparison)
            for comparison in settings.comparisons
        },
        weight=float(stride),
    )


def sample_stride(key_pairs: float, max_pairs: float) -> int:
    """One record in this many, so that about `max_pairs` of the pairs the blocking keys make
    (`key_pairs`, summed per key) are compared."""
    return max(1, math.ceil(key_pairs / max_pairs))


def sampled_blocking(settings: dict[str, Any], stride: int) -> dict[str, Any]:
    """`settings` blocking only the pairs whose first record a hash of its id picks, one in
    `stride`. Every rule picks by the same record of a pair, so each picked pair is still made
    by the first rule it meets, and the same data always gives the same sample."""
    sampled = copy.deepcopy(settings)
    uid = sampled["unique_id_column_name"]
    for rule in sampled["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = sampled_rule(rule["blocking_rule"], uid, stride)
    return sampled


def sampled_rule(rule_sql: str, uid: str, stride: int) -> str:
    """`rule_sql` making only the pairs whose first record a hash of its id picks, one in
    `stride` (all of them at 1): the same data always gives the same sample."""
    return rule_sql if stride <= 1 else f'({rule_sql}) and hash(l."{uid}") % {stride} = 0'


def _levels_and_weights(linker: Linker) -> SplinkDataFrame:
    """Splink's predict() pipeline (blocked pairs, comparison vectors, match weights) with a
    table of each pair's gammas and match weight as its only output."""
    settings = linker._settings_obj
    columns = settings.column_info_settings
    db_api = linker._db_api
    # Blocking and comparing only make rows, sorted below before anything sums them.
    with all_threads(db_api):
        blocked, cached = linker.inference._get_or_compute_blocked_pairs_for_predict_chunk(
            left_chunk=(1, 1), right_chunk=(1, 1)
        )
        pipeline = CTEPipeline([blocked])
        enqueue_df_concat_with_tf(linker, pipeline)
        pipeline.enqueue_list_of_sqls(
            compute_comparison_vector_values_from_id_pairs_sqls(
                settings._columns_to_select_for_blocking,
                settings._columns_to_select_for_comparison_vector_values,
                input_tablename_l="__splink__df_concat_with_tf",
                input_tablename_r="__splink__df_concat_with_tf",
                source_dataset_input_column=columns.source_dataset_input_column,
                unique_id_input_column=columns.unique_id_input_column,
                link_type=settings._link_type,
                sql_dialect_str=linker._sql_dialect_str,
            )
        )
        # training_mode: the gammas without the compared values (retain_matching_columns off).
        pipeline.enqueue_list_of_sqls(
            predict_from_comparison_vectors_sqls(
                unique_id_input_columns=columns.unique_id_input_columns,
                core_model_settings=settings.core_model_settings,
                sql_dialect=SplinkDialect.from_string(settings._sql_dialect_str),
                training_mode=True,
            )
        )
        gammas = [comparison._gamma_column_name for comparison in settings.comparisons]
        selected = ", ".join(f"cast({name} as tinyint) as {name}" for name in gammas)
        # Ordered by every output column (rows that tie are identical), so the sums taken over the
        # pairs come out the same whatever order the threads produced them in.
        pipeline.enqueue_sql(
            f"select {selected}, match_weight from __splink__df_predict"
            f" order by {', '.join(gammas)}, match_weight",
            "__splink__candidate_pair_levels",
        )
        try:
            return db_api.sql_pipeline_to_splink_dataframe(pipeline)
        finally:
            if not cached:
                blocked.drop_table_from_database_and_remove_from_cache()


def log2_bayes_factors(pairs: CandidatePairs, settings: Settings) -> np.ndarray:
    """Each pair's match weight under `settings` without the prior's term: its weight when
    compared, moved by the change of its levels' weights and term-frequency adjustments."""
    total = pairs.base_log2_bayes_factors.copy()
    for comparison in settings.comparisons:
        name = comparison.output_column_name
        gamma = pairs.gammas[name]
        table, offset, tf_terms = _weights(comparison)
        base_table, base_offset, base_tf_terms = pairs.base[name]
        if (
            offset != base_offset
            or len(table) != len(base_table)
            or tf_terms.keys() != base_tf_terms.keys()
        ):
            raise ValueError(
                f"comparison {name!r} has other levels than the pairs were compared on"
            )
        total += (table - base_table)[gamma + offset]
        for value, term in tf_terms.items():
            total[gamma == value] += term - base_tf_terms[value]
    return total
