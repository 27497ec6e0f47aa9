"""Every candidate pair's match weight under any m, u and prior, from one Splink pass.

Training re-estimates the prior and corrects u in rounds (training.py), each needing the
match weight of every candidate pair. A pair's comparison levels (gammas) and its term
frequencies do not change between rounds, only the weights of the levels do; so the pairs are
compared once, and each round weighs them again in numpy, as Splink's prediction SQL would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from splink import Linker
from splink.internals.settings import Settings


@dataclass(frozen=True)
class CandidatePairs:
    """The candidate pairs' gamma per comparison, and per term-frequency column the log2 of
    the larger of the pair's two term frequencies (nan where neither record has one)."""

    gammas: dict[str, np.ndarray]
    tf_log2: dict[str, np.ndarray]

    @property
    def count(self) -> int:
        return len(next(iter(self.gammas.values()))) if self.gammas else 0


def compare_candidate_pairs(linker: Linker) -> CandidatePairs:
    """Compare every pair the linker's blocking rules propose (one Splink prediction)."""
    settings = linker._settings_obj
    retained = settings._retain_intermediate_calculation_columns
    settings._retain_intermediate_calculation_columns = True  # keeps the tf_ columns
    try:
        predictions = linker.inference.predict(warning_mode="never")
    finally:
        settings._retain_intermediate_calculation_columns = retained
    gammas = [comparison._gamma_column_name for comparison in settings.comparisons]
    tf_columns = {column.tf_name: column for column in _tf_levels_columns(settings)}
    tf_selects = [
        f"log2(greatest(coalesce({column.tf_name_l}, {column.tf_name_r}), "
        f"coalesce({column.tf_name_r}, {column.tf_name_l}))) as tf_log2_{position}"
        for position, column in enumerate(tf_columns.values())
    ]
    frame = linker._db_api.query_sql(
        f"select {', '.join(gammas + tf_selects)} from {predictions.physical_name}",
        output_type="pandas",
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    return CandidatePairs(
        gammas={
            comparison.output_column_name: frame[comparison._gamma_column_name].to_numpy("int16")
            for comparison in settings.comparisons
        },
        tf_log2={
            name: frame[f"tf_log2_{position}"].to_numpy("float64", na_value=np.nan)
            for position, name in enumerate(tf_columns)
        },
    )


def _tf_levels_columns(settings: Settings):
    for comparison in settings.comparisons:
        for level in comparison.comparison_levels:
            if _adjusts_for_term_frequency(level):
                yield level._tf_adjustment_input_column


def _adjusts_for_term_frequency(level) -> bool:
    return (
        level._has_tf_adjustments
        and level._tf_adjustment_weight != 0
        and not level._is_else_level
        and level.comparison_vector_value != -1
    )


def log2_bayes_factors(pairs: CandidatePairs, settings: Settings) -> np.ndarray:
    """Each pair's match weight without the prior's term: the sum of its levels' weights and
    their term-frequency adjustments, by the formulas of Splink's prediction SQL."""
    total = np.zeros(pairs.count)
    for comparison in settings.comparisons:
        gamma = pairs.gammas[comparison.output_column_name]
        levels = comparison.comparison_levels
        offset = 1 - min(level.comparison_vector_value for level in levels)
        weights = np.zeros(max(level.comparison_vector_value for level in levels) + offset + 1)
        for level in levels:
            weights[level.comparison_vector_value + offset] = level._match_weight
        total += weights[gamma + offset]
        for level in levels:
            if not _adjusts_for_term_frequency(level):
                continue
            column = level._tf_adjustment_input_column.tf_name
            tf_log2 = pairs.tf_log2[column]
            at_level = (gamma == level.comparison_vector_value) & ~np.isnan(tf_log2)
            floor = level._tf_minimum_u_value
            tf_term = tf_log2[at_level]
            if floor > 0:
                tf_term = np.maximum(tf_term, math.log2(floor))
            u_exact = level._u_probability_corresponding_to_exact_match(levels)
            total[at_level] += level._tf_adjustment_weight * (math.log2(u_exact) - tf_term)
    return total
