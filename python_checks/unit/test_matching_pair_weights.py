"""Candidate pairs compared once and weighed again in numpy, as Splink's prediction weighs them."""

from __future__ import annotations

import copy
import logging
import math

import numpy as np
from splink import DuckDBAPI, Linker

from crm_quality.matching.pair_weights import compare_candidate_pairs, log2_bayes_factors
from crm_quality.matching.training import train_model
from python_checks.unit.test_matching_scoring import training_records


def test_the_pairs_weigh_as_splink_predicts_them_under_other_u_values():
    records = training_records(4)
    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)
    compared_with = model["splink_settings"]
    db_api = DuckDBAPI()
    table = db_api.register(records)
    pairs = compare_candidate_pairs(Linker(table, compared_with, log_level=logging.WARNING))
    # Other u values and another prior, as the rounds that correct u make them.
    other = copy.deepcopy(compared_with)
    other["probability_two_random_records_match"] *= 3
    for comparison in other["comparisons"]:
        for level in comparison["comparison_levels"]:
            if isinstance(level.get("u_probability"), float):
                level["u_probability"] = min(level["u_probability"] * 1.7, 1.0)
    linker = Linker(table, other, log_level=logging.WARNING)
    prior = other["probability_two_random_records_match"]
    ours = log2_bayes_factors(pairs, linker._settings_obj) + math.log2(prior / (1 - prior))
    predicted = linker.inference.predict(warning_mode="never")
    splinks = db_api.query_sql(
        f"select match_weight from {predicted.physical_name}", output_type="pandas"
    )["match_weight"].to_numpy()

    assert pairs.count == len(splinks) > 1000
    # Term frequencies weigh some of the pairs (first name, surname, e-mail agree exactly).
    tf_levels = [(name, level) for name, (_, _, terms) in pairs.base.items() for level in terms]
    assert any((pairs.gammas[name] == level).any() for name, level in tf_levels)
    np.testing.assert_allclose(np.sort(ours), np.sort(splinks), rtol=0, atol=1e-9)


def test_the_pairs_come_in_one_order_whatever_the_threads():
    """Training sums over the pairs: ordered by their levels and weight, the sums (and so the
    model id) do not depend on the order the pass's threads produced the pairs in."""
    records = training_records(4)
    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)
    db_api = DuckDBAPI()
    db_api.duckdb_con.execute("set threads = 1")
    linker = Linker(db_api.register(records), model["splink_settings"], log_level=logging.WARNING)
    pairs = compare_candidate_pairs(linker)

    names = [comparison.output_column_name for comparison in linker._settings_obj.comparisons]
    keys = [pairs.base_log2_bayes_factors, *reversed([pairs.gammas[name] for name in names])]
    assert pairs.count > 1000
    np.testing.assert_array_equal(np.lexsort(keys), np.arange(pairs.count))
    # The pass may use every core; the connection gets its one thread back.
    assert db_api.duckdb_con.execute("select current_setting('threads')").fetchall() == [(1,)]
