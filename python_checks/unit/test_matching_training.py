"""Training details: the prior from trained weights, unobserved levels, starting values."""

from __future__ import annotations

import copy
import math

import numpy as np

from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.settings import settings_creator, settings_dict
from crm_quality.matching.training import (
    neutralise_unobserved,
    prior_from_weights,
    with_fallback_m_values,
)


def test_the_prior_is_the_share_of_pairs_the_weights_call_matches():
    # 1,000 records: 499,500 pairs; 500 clear matches among 20,000 candidate pairs.
    total = 1000 * 999 / 2
    weights = np.concatenate([np.full(500, 30.0), np.full(19_500, -10.0)])
    prior = prior_from_weights(weights, total, start=0.1)
    assert math.isclose(prior, 500 / total, rel_tol=0.01)
    # The start does not matter.
    assert math.isclose(prior_from_weights(weights, total, start=1e-8), prior, rel_tol=0.01)


def test_a_sample_of_pairs_weighs_as_the_pairs_it_stands_for():
    total = 1000 * 999 / 2
    sample = np.concatenate([np.full(125, 30.0), np.full(4_875, -10.0)])
    every = np.tile(sample, 4)
    assert math.isclose(
        prior_from_weights(sample, total, start=0.1, pair_weight=4),
        prior_from_weights(every, total, start=0.1),
        rel_tol=1e-9,
    )


def test_pairs_with_no_evidence_do_not_raise_the_prior():
    total = 1000 * 999 / 2
    undecided = np.zeros(1000)  # Bayes factor 1: as likely matches as the prior says
    assert prior_from_weights(undecided, total, start=0.001) < 0.001


def test_a_level_training_never_observed_is_never_evidence_of_a_match():
    settings = settings_dict(settings_creator(("first_name_key", "last_name_key"), []))
    levels = settings["comparisons"][0]["comparison_levels"]
    exact, rare, different = levels[1], levels[2], levels[-1]
    exact["m_probability"], exact["u_probability"] = 0.9, 0.01
    rare["u_probability"] = 1e-6  # m never estimated: a rare agreement no match showed
    different["u_probability"] = 0.99  # m never estimated: no match disagreed
    filled, unobserved = neutralise_unobserved(settings, m_floor=1e-3, u_floor=1e-7)
    assert (exact["m_probability"], exact["u_probability"]) == (0.9, 0.01)
    assert rare["m_probability"] == rare["u_probability"] == 1e-6  # weight 0
    assert different["m_probability"] == 1e-3  # strongly against
    assert math.log2(different["m_probability"] / different["u_probability"]) < -9
    never = levels[3]  # neither m nor u
    assert never["m_probability"] == never["u_probability"] == 1e-7
    assert ["first_name", exact["label_for_charts"]] not in unobserved
    assert ["first_name", different["label_for_charts"]] in unobserved


def test_only_comparisons_no_round_estimated_take_the_shipped_m_values():
    shipped = load_model(DEFAULT_MODEL_PATH)
    fields = ("first_name_key", "last_name_key", "birth_date", "postal_key", "city_key")
    settings = settings_dict(settings_creator(fields, []))
    filled = with_fallback_m_values(settings, shipped, estimated={"birth_date"})

    def levels(source: dict, name: str) -> list[dict]:
        (found,) = [c for c in source["comparisons"] if c["output_column_name"] == name]
        return found["comparison_levels"]

    shipped_first = levels(shipped["splink_settings"], "first_name")
    assert levels(filled, "first_name")[1]["m_probability"] == shipped_first[1]["m_probability"]
    assert "m_probability" not in levels(filled, "birth_date")[1]
    address_labels = [level.get("label_for_charts") for level in levels(filled, "contact_address")]
    assert "same phone" not in address_labels


def test_without_a_model_the_diagnostics_are_empty_and_identification_weak():
    from crm_quality.matching.diagnostics import FRAME_COLUMNS, diagnostics_frame, summary_row

    for kind, columns in FRAME_COLUMNS.items():
        frame = diagnostics_frame(kind, None)
        assert frame.empty and list(frame.columns) == list(columns)
    assert summary_row(None)["is_identification_weak"] is True
    shipped = load_model(DEFAULT_MODEL_PATH)
    in_use = ("m1", shipped, None, "test")
    parameters = diagnostics_frame("parameters", in_use)
    assert list(parameters.columns) == list(FRAME_COLUMNS["parameters"])
    assert parameters["comparison"].iloc[0] == "prior"
    assert summary_row(in_use)["is_identification_weak"] is False


def test_u_loses_the_matches_the_random_sample_held():
    from crm_quality.matching.training import with_u_corrected

    settings = settings_dict(settings_creator(("first_name_key", "last_name_key"), []))
    levels = settings["comparisons"][0]["comparison_levels"][1:]
    for level in levels:
        level["m_probability"], level["u_probability"] = 0.5, 0.01
    total = 1_000_000.0
    # 5,000 expected matches among the compared pairs, 4,000 of them exact on first name
    # (gamma 5), 1,000 different (gamma 0); 300 more where a first name is missing (gamma -1).
    gamma_exact = len(levels) - 1
    expected = {"first_name": {gamma_exact: 4000.0, 0: 1000.0, -1: 300.0}}
    corrected = with_u_corrected(copy.deepcopy(settings), expected, total, 1e-7)
    exact = corrected["comparisons"][0]["comparison_levels"][1]
    assert math.isclose(exact["u_probability"], (0.01 - 0.004) / (1 - 0.005))
    untouched = corrected["comparisons"][0]["comparison_levels"][2]
    assert math.isclose(untouched["u_probability"], 0.01 / (1 - 0.005))
    # u is a share of the pairs the comparison compares: half of them, twice the share.
    halved = with_u_corrected(copy.deepcopy(settings), expected, total, 1e-7, {"first_name": 0.5})
    exact = halved["comparisons"][0]["comparison_levels"][1]
    assert math.isclose(exact["u_probability"], (0.01 - 0.008) / (1 - 0.01))
    floored = with_u_corrected(settings, {"first_name": {gamma_exact: 1e6}}, 2e6, 1e-7)
    assert floored["comparisons"][0]["comparison_levels"][1]["u_probability"] == 1e-7


def test_a_level_every_random_pair_fell_into_keeps_u_off_its_bound():
    """At a million records no sampled pair shares an e-mail: u(different) was 1 and, corrected,
    stayed pinned at 1, so every healthy build reported a probability at its bound."""
    from crm_quality.matching.diagnostics import parameters_frame
    from crm_quality.matching.training import with_u_corrected

    settings = settings_dict(settings_creator(("first_name_key", "last_name_key"), []))
    levels = settings["comparisons"][0]["comparison_levels"][1:]
    for level in levels:
        level["m_probability"], level["u_probability"] = 0.2, 0.0
    levels[-1]["u_probability"] = 1.0
    corrected = with_u_corrected(settings, {"first_name": {0: 10.0}}, 1e12, 1e-7)
    different = corrected["comparisons"][0]["comparison_levels"][-1]
    assert different["u_probability"] == 1.0 - 1e-7
    parameters = parameters_frame(
        "model", {"splink_settings": corrected, "training": {"em_rounds": []}}
    )
    assert not parameters["is_at_bound"].any()


def test_splink_notices_of_unobserved_levels_are_held_back_and_its_other_warnings_kept(caplog):
    import logging

    from crm_quality.matching.training import EM_LOGGER, unobserved_level_notices_quiet

    logger = logging.getLogger(EM_LOGGER)
    notice = "Level exact on comparison email not observed in dataset, unable to train m value"
    with caplog.at_level(logging.WARNING, logger=EM_LOGGER):
        with unobserved_level_notices_quiet():
            logger.warning(notice)
            logger.warning("EM training cannot converge")
        logger.warning(notice)
    assert [record.getMessage() for record in caplog.records] == [
        "EM training cannot converge",
        notice,
    ]
