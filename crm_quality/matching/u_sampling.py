"""u from random pairs: Splink's estimate, its pairs compared once for all comparisons.

Splink's `estimate_u_using_random_sampling` samples records by a hash of their ids, then, for
each comparison in turn, compares the sample's pairs: a probe (one pair in a hundred, by a
hash of the right record's id), then ten chunks by the same hash until every level has
`min_count_per_level` pairs. At a million contacts that is 51 queries over the same pairs.
Here one query compares every pair once for all comparisons and counts the pairs by chunk,
probe and levels; Splink's stopping rule then runs on those counts, so each comparison's u
comes from the same pairs as in Splink's loop, to the last bit (test_matching_u_sampling.py).
The pairs look their names' similarities up (crm_quality/matching/similarity_lookups.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

from splink.internals.blocking import _sql_gen_where_condition
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT
from splink.internals.estimate_u import _rows_needed_for_n_pairs
from splink.internals.expectation_maximisation import compute_proportions_for_new_parameters
from splink.internals.linker import Linker
from splink.internals.m_u_records_to_parameters import (
    append_u_probability_to_comparison_level_trained_probabilities,
    m_u_records_to_lookup_dict,
)
from splink.internals.misc import ascii_uid
from splink.internals.pipeline import CTEPipeline
from splink.internals.settings import Settings
from splink.internals.unique_id_concat import _composite_unique_id_from_nodes_sql
from splink.internals.vertically_concatenate import enqueue_df_concat

from crm_quality.matching.similarity_lookups import looked_up
from crm_quality.matching.threads import build_sides_as_written, thread_count

# Splink's defaults (estimate_u_values): the levels' minimum count, chunks, probe's share.
MIN_COUNT_PER_LEVEL = 100
CHUNKS = 10
PROBE_MULTIPLIER = 10
TRAINING_DESCRIPTION = "estimate u by random sampling"
SAMPLE = "__splink__df_concat_sample"


def estimate_u(
    linker: Linker,
    max_pairs: float,
    seed: int | None,
    min_count_per_level: int | None = MIN_COUNT_PER_LEVEL,
    chunks: int = CHUNKS,
) -> dict[str, float]:
    """Set every comparison level's u on `linker` as Splink's estimate_u_using_random_sampling
    (a dedupe_only model) sets it, from one pass over the sampled pairs. Returns, per
    comparison, the share of the sampled pairs not at its null level (u's denominator)."""
    settings = linker._settings_obj
    if settings._link_type != "dedupe_only":
        raise ValueError(f"u in one pass supports dedupe_only models, not {settings._link_type}")
    training = _training_copy(linker)
    comparisons = training._settings_obj.comparisons
    sample = _sample(training, max_pairs, seed)
    try:
        counts = _level_counts(training, sample.physical_name, chunks)
    finally:
        sample.drop_table_from_database_and_remove_from_cache()
    for trained, original in zip(comparisons, settings.comparisons, strict=True):
        levels = [
            int(level.comparison_vector_value)
            for level in trained._comparison_levels_excluding_null
        ]
        column = trained._gamma_column_name
        per_level = stopped_counts(
            [(row["chunk"], row["in_probe"], row[column], row["pairs"]) for row in counts],
            levels,
            min_count_per_level,
            chunks,
        )
        _apply(linker, original, per_level)
    linker._populate_m_u_from_trained_values()
    gammas = {
        comparison.output_column_name: comparison._gamma_column_name for comparison in comparisons
    }
    return compared_shares(counts, gammas)


def compared_shares(
    counts: Iterable[Mapping[str, Any]], gamma_columns: Mapping[str, str]
) -> dict[str, float]:
    """Per comparison, the share of counted pairs not at its null level (gamma -1)."""
    counts = list(counts)
    total = float(sum(row["pairs"] for row in counts))
    return {
        name: sum(float(row["pairs"]) for row in counts if row[column] != -1) / total
        if total
        else 0.0
        for name, column in gamma_columns.items()
    }


def stopped_counts(
    rows: Iterable[tuple[int, bool, int, int]],
    levels: list[int],
    min_count_per_level: int | None,
    chunks: int,
) -> dict[int, float]:
    """One comparison's pair count per level as Splink's loop accumulates it from (chunk, in
    probe, level, pairs) rows: the probe's alone if every level reached the minimum there, else
    chunk after chunk until every level has or the chunks run out."""
    rows = list(rows)

    def counted(selected: Iterable[tuple[int, bool, int, int]]) -> dict[int, float]:
        totals = dict.fromkeys(levels, 0.0)
        for _, _, level, pairs in selected:
            if level in totals:
                totals[level] += float(pairs)
        return totals

    def enough(totals: Mapping[int, float]) -> bool:
        lowest = min(totals.values(), default=0.0)
        return min_count_per_level is not None and lowest >= min_count_per_level

    if chunks > 1 and enough(probe := counted(row for row in rows if row[1])):
        return probe
    totals = dict.fromkeys(levels, 0.0)
    for chunk in range(1, chunks + 1):
        for level, pairs in counted(row for row in rows if row[0] == chunk).items():
            totals[level] += pairs
        if enough(totals):
            break
    return totals


def _training_copy(linker: Linker) -> Linker:
    """Splink's working copy: no retained columns, no term-frequency adjustments."""
    training = deepcopy(linker)
    settings = training._settings_obj
    settings._retain_matching_columns = False
    settings._retain_intermediate_calculation_columns = False
    for comparison in settings.comparisons:
        for level in comparison.comparison_levels:
            level._tf_adjustment_column = None
    return training


def _sample(training: Linker, max_pairs: float, seed: int | None) -> Any:
    """The records Splink samples: a share by a hash of the ids, for about max_pairs pairs."""
    db_api = training._db_api
    pipeline = enqueue_df_concat(training, CTEPipeline())
    pipeline.enqueue_sql("select count(*) as count from __splink__df_concat", "__splink__count")
    counted = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    total = counted.as_record_list()[0]["count"]
    counted.drop_table_from_database_and_remove_from_cache()
    proportion = min(_rows_needed_for_n_pairs(max_pairs) / total, 1.0)
    uid_columns = training._settings_obj.column_info_settings.unique_id_input_columns
    sample_filter = training._proportion_sample_sql(proportion, uid_columns, seed=seed)
    pipeline = enqueue_df_concat(training, CTEPipeline())
    pipeline.enqueue_sql(f"select * from __splink__df_concat where 1=1 {sample_filter}", SAMPLE)
    return db_api.sql_pipeline_to_splink_dataframe(pipeline)


def _level_counts(training: Linker, sample: str, chunks: int) -> list[dict[str, Any]]:
    """The sample's pairs counted by chunk, probe and every comparison's level."""
    db_api = training._db_api
    settings = training._settings_obj
    uid_columns = settings.column_info_settings.unique_id_input_columns
    right_hash = db_api.sql_dialect.hash_function_expression(
        _composite_unique_id_from_nodes_sql(uid_columns, "r")
    )
    blocking = [name for column in uid_columns for name in column.l_r_names_as_l_r]
    for comparison in settings.comparisons:
        blocking += [c for c in comparison._columns_to_select_for_blocking() if c not in blocking]
    where = _sql_gen_where_condition("dedupe_only", uid_columns)
    vector_columns = Settings.columns_to_select_for_comparison_vector_values(
        unique_id_input_columns=uid_columns,
        comparisons=settings.comparisons,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )
    gammas = [comparison._gamma_column_name for comparison in settings.comparisons]
    # The sample is small (one storage block), and DuckDB reads one block on one thread: each
    # thread takes its own share of the left records, in a branch of its own. The counts are
    # integers, the same however the pairs are split.
    parts = thread_count(db_api)
    left_hash = db_api.sql_dialect.hash_function_expression(
        _composite_unique_id_from_nodes_sql(uid_columns, "l")
    )
    with looked_up(db_api, sample, vector_columns) as lookups:
        pairs_sql = " union all ".join(
            f"""
            select
                {_composite_unique_id_from_nodes_sql(uid_columns, "l")} as join_key_l,
                {_composite_unique_id_from_nodes_sql(uid_columns, "r")} as join_key_r,
                {", ".join([*blocking, *lookups.columns])},
                '0' as match_key,
                (abs({right_hash}) % {chunks}) + 1 as chunk,
                (abs({right_hash}) % {chunks * PROBE_MULTIPLIER}) + 1 = 1 as in_probe
            from {lookups.records} as l
            inner join {lookups.records} as r on (1=1)
            {" ".join(lookups.joins)}
            {where}{f" and abs({left_hash}) % {parts} = {part}" if parts > 1 else ""}
            """
            for part in range(parts)
        )
        pipeline = CTEPipeline()
        pipeline.enqueue_sql(pairs_sql, "__splink__blocked_id_pairs")
        pipeline.enqueue_sql(
            f"select {', '.join(lookups.expressions)}, chunk, in_probe "
            "from __splink__blocked_id_pairs",
            "__splink__df_comparison_vectors",
        )
        pipeline.enqueue_sql(
            f"select chunk, in_probe, {', '.join(gammas)}, count(*) as pairs "
            f"from __splink__df_comparison_vectors group by chunk, in_probe, {', '.join(gammas)}",
            "__splink__u_level_counts",
        )
        with build_sides_as_written(db_api):
            counts = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        return counts.as_record_list()
    finally:
        counts.drop_table_from_database_and_remove_from_cache()


def _apply(linker: Linker, comparison: Any, per_level: Mapping[int, float]) -> None:
    """u = each level's share of the comparison's counted pairs, set as Splink sets it (its own
    proportions query; a level no pair reached is not observed)."""
    records = [
        {
            "comparison_vector_value": level,
            "u_count": count,
            "output_column_name": comparison.output_column_name,
            "m_count": 0.0,
        }
        for level, count in sorted(per_level.items())
    ]
    db_api = linker._db_api
    table = db_api.register(records, table_name=f"__splink__aggregated_m_u_counts_{ascii_uid(8)}")
    parameters = compute_proportions_for_new_parameters(table)
    table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    for row in parameters:
        if per_level.get(int(row["comparison_vector_value"]), 0.0) == 0.0:
            row["u_probability"] = LEVEL_NOT_OBSERVED_TEXT
    lookup = m_u_records_to_lookup_dict(parameters)
    for level in comparison._comparison_levels_excluding_null:
        append_u_probability_to_comparison_level_trained_probabilities(
            level, lookup, comparison.output_column_name, TRAINING_DESCRIPTION
        )
