"""m from review labels: design weights, effective sample size, shrinkage toward the EM m, the
labels' fingerprint, and training with no labels giving the unsupervised model."""

from __future__ import annotations

import json
import math

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import yaml
from splink import DuckDBAPI

from crm_quality.matching.features import features_sql
from crm_quality.matching.label_training import (
    DEFAULT_BAND_EDGES,
    DEFAULT_PSEUDO_COUNT,
    design_weights,
    effective_sample_size,
    labels_fingerprint,
    shrunk_m,
    strata_of,
    stratum_sizes,
    with_label_m,
)
from crm_quality.matching.profile import needs_retraining, profile_features
from crm_quality.matching.settings import settings_creator, settings_dict
from crm_quality.matching.training import train_model
from crm_quality.review.labels import read_labels
from python_checks.dbt_runner import REPO_ROOT
from python_checks.unit.test_matching_duckdb_backend import ROWS, standardized

EM_M = {3: 0.6, 2: 0.2, 1: 0.1, 0: 0.1}


def test_pairs_fall_in_the_bands_match_band_draws_from():
    probabilities = np.array([0.001, 0.01, 0.3, 0.5, 0.95, 0.99, 1.0])
    assert strata_of(probabilities).tolist() == [
        "not_scored",
        "below_lenient",
        "below_lenient",
        "lenient_to_headline",
        "headline_to_conservative",
        "conservative",
        "conservative",
    ]


def test_a_label_weighs_its_strata_size_over_the_labels_drawn_there():
    strata = np.array(["conservative", "lenient_to_headline", "lenient_to_headline"])
    weights = design_weights(strata, {"conservative": 900, "lenient_to_headline": 40})
    assert weights.tolist() == [900.0, 20.0, 20.0]


def test_design_weights_change_the_estimate_from_the_plain_average():
    # One label from a stratum of 1,000 pairs agrees exactly; three from a stratum of 30
    # pairs (over-sampled) disagree. Plainly averaged a quarter agree; weighed, almost all.
    gamma = np.array([3, 0, 0, 0])
    strata = np.array(["conservative", *["lenient_to_headline"] * 3])
    weights = design_weights(strata, {"conservative": 1000, "lenient_to_headline": 30})
    weighted, _ = shrunk_m(gamma, weights, EM_M, pseudo_count=0.0)
    plain, size = shrunk_m(gamma, np.ones(4), EM_M, pseudo_count=0.0)
    assert plain[3] == pytest.approx(0.25) and size == pytest.approx(4.0)
    assert weighted[3] == pytest.approx(1000 / 1030)
    assert weighted[0] == pytest.approx(30 / 1030)


def test_unequal_weights_count_as_fewer_labels():
    assert effective_sample_size(np.ones(10)) == pytest.approx(10.0)
    assert effective_sample_size(np.array([100.0, 1.0, 1.0, 1.0])) < 1.1
    assert effective_sample_size(np.array([])) == 0.0


def test_the_estimate_is_shrunk_toward_the_em_m_by_the_pseudo_count():
    gamma = np.array([0] * 10)  # ten matches, all at the lowest level
    m, size = shrunk_m(gamma, np.ones(10), EM_M, pseudo_count=10.0)
    assert size == pytest.approx(10.0)
    # Half the evidence is the labels' (all at 0), half the EM m.
    assert m[0] == pytest.approx((10 * 1.0 + 10 * 0.1) / 20)
    assert m[3] == pytest.approx(10 * 0.6 / 20)
    assert sum(m.values()) == pytest.approx(1.0)
    heavy, _ = shrunk_m(gamma, np.ones(10), EM_M, pseudo_count=1e9)
    assert heavy == pytest.approx(EM_M)


def test_a_match_whose_comparison_is_null_says_nothing_about_it():
    m, size = shrunk_m(np.array([-1, -1, 3]), np.ones(3), EM_M, pseudo_count=0.0)
    assert size == pytest.approx(1.0) and m[3] == pytest.approx(1.0)
    unchanged, none = shrunk_m(np.array([-1]), np.ones(1), EM_M, pseudo_count=20.0)
    assert none == 0.0 and unchanged == EM_M


def test_label_m_lands_on_the_level_of_each_gamma():
    settings = settings_dict(settings_creator(("first_name_key", "last_name_key"), []))
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["m_probability"] = 0.1
    first = settings["comparisons"][0]
    top = max(
        len([lvl for lvl in first["comparison_levels"] if not lvl.get("is_null_level")]) - 1, 0
    )
    gammas = {c["output_column_name"]: np.full(5, top, np.int8) for c in settings["comparisons"]}
    informed, sizes = with_label_m(settings, gammas, np.ones(5), pseudo_count=5.0)
    exact = informed["comparisons"][0]["comparison_levels"][1]  # after the null level
    assert exact["label_for_charts"] == "exact"
    assert exact["m_probability"] == pytest.approx((5 * 1.0 + 5 * 0.1) / 10)
    assert informed["comparisons"][0]["comparison_levels"][-1]["m_probability"] == pytest.approx(
        0.05
    )
    assert sizes == {"first_name": pytest.approx(5.0), "last_name": pytest.approx(5.0)}


def test_other_labels_retrain_and_the_same_labels_in_any_order_do_not():
    labels = pd.DataFrame(
        {"record_key_l": ["a", "c"], "record_key_r": ["b", "d"], "is_match": [1, 0]}
    )
    flipped = pd.DataFrame(
        {"record_key_l": ["d", "b"], "record_key_r": ["c", "a"], "is_match": [0, 1]}
    )
    answered = labels.assign(is_match=[1, 1])
    assert labels_fingerprint(labels) == labels_fingerprint(flipped)
    assert labels_fingerprint(labels) != labels_fingerprint(answered)
    profile = profile_features(_features())
    trained = {**profile, "labels_fingerprint": labels_fingerprint(labels)}
    assert needs_retraining(trained, dict(profile), min_fill_rate=0.05) == (
        "the review labels training uses changed"
    )
    current = {**profile, "labels_fingerprint": labels_fingerprint(flipped)}
    assert needs_retraining(trained, current, min_fill_rate=0.05) is None


def test_the_labels_file_gives_the_latest_usable_answer_last(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "record_key_l,record_key_r,is_match,reviewed_at\n"
        "a,b,1,2026-07-02\n"
        "a,b,0,2026-07-01\n"
        "c,d,maybe,2026-07-01\n"
        "e,,1,\n"
        "f,g,TRUE,\n",
        "utf-8",
    )
    labels = read_labels(path)
    assert labels.values.tolist() == [["f", "g", True], ["a", "b", False], ["a", "b", True]]


def _features() -> pa.Table:
    with duckdb.connect() as connection:
        connection.register("records", standardized(ROWS))
        return connection.sql(features_sql("records", 20)).to_arrow_table()


def _train(labels: pd.DataFrame | None) -> dict:
    connection = duckdb.connect(config={"threads": 1})
    try:
        return train_model(DuckDBAPI(connection=connection), _features(), labels=labels)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def unsupervised() -> dict:
    return _train(None)


def test_no_labels_train_the_unsupervised_model(unsupervised):
    empty = pd.DataFrame({"record_key_l": [], "record_key_r": [], "is_match": []})
    assert json.dumps(_train(empty), sort_keys=True) == json.dumps(unsupervised, sort_keys=True)
    assert "labels" not in unsupervised["training"]
    assert "labels_fingerprint" not in unsupervised["training"]["profile"]


def test_labels_inform_m_and_the_model_says_how(unsupervised):
    keys = sorted(standardized(ROWS)["record_key"])
    labels = pd.DataFrame(
        {
            "record_key_l": [keys[0], keys[0], "unknown:1"],
            "record_key_r": [keys[1], keys[2], keys[0]],
            "is_match": [True, False, True],
        }
    )
    model = _train(labels)
    report = model["training"]["labels"]
    assert model["training"]["method"].startswith("label-informed")
    assert (report["pairs_given"], report["pairs_used"]) == (3, 2)
    assert report["pairs_ignored"]["a record not in the data"] == 1
    assert (report["matches_used"], report["non_matches_used"]) == (1, 1)
    assert set(report["effective_sample_size"]) == set(model["training"]["comparisons"])
    assert model["training"]["profile"]["labels_fingerprint"] == labels_fingerprint(labels)
    m_before = [
        level.get("m_probability")
        for comparison in unsupervised["splink_settings"]["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    m_after = [
        level.get("m_probability")
        for comparison in model["splink_settings"]["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    assert m_after != m_before
    assert not math.isnan(model["splink_settings"]["probability_two_random_records_match"])


def test_the_defaults_outside_a_build_are_the_vars_defaults():
    """`python -m crm_quality.matching train` has no build settings: its bands and pseudo-count
    must be the ones a build reads from dbt_project.yml."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    edges = tuple(
        project[name]
        for name in (
            "er_pair_min_match_probability",
            "er_lenient_match_threshold",
            "er_match_threshold",
            "er_conservative_match_threshold",
        )
    )
    assert DEFAULT_BAND_EDGES == edges
    assert DEFAULT_PSEUDO_COUNT == project["er_label_pseudo_count"]


def test_a_sample_of_candidate_pairs_sizes_the_strata_it_stands_for():
    probabilities = np.array([0.001, 0.7, 0.7, 0.95, 0.999])
    assert stratum_sizes(probabilities, DEFAULT_BAND_EDGES) == {
        "not_scored": 1, "lenient_to_headline": 2, "headline_to_conservative": 1,
        "conservative": 1,
    }  # fmt: skip
    sizes = stratum_sizes(probabilities, DEFAULT_BAND_EDGES, pair_weight=3.5)
    assert sizes["lenient_to_headline"] == 7
    assert sizes["conservative"] == 4  # 3.5, rounded to even
