"""Training details: the prior from trained weights, unobserved levels, starting values."""

from __future__ import annotations

import math

import numpy as np

from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.settings import settings_creator, settings_dict
from crm_quality.matching.training import (
    UNKNOWN_PROBABILITY,
    neutralise_unobserved,
    prior_from_weights,
    with_starting_values,
)


def test_the_prior_is_the_share_of_pairs_the_weights_call_matches():
    # 1,000 records: 499,500 pairs; 500 clear matches among 20,000 candidate pairs.
    total = 1000 * 999 / 2
    weights = np.concatenate([np.full(500, 30.0), np.full(19_500, -10.0)])
    prior = prior_from_weights(weights, total, start=0.1)
    assert math.isclose(prior, 500 / total, rel_tol=0.01)
    # The start does not matter.
    assert math.isclose(prior_from_weights(weights, total, start=1e-8), prior, rel_tol=0.01)


def test_pairs_with_no_evidence_do_not_raise_the_prior():
    total = 1000 * 999 / 2
    undecided = np.zeros(1000)  # Bayes factor 1: as likely matches as the prior says
    assert prior_from_weights(undecided, total, start=0.001) < 0.001


def test_a_level_training_never_observed_gets_no_weight():
    settings = settings_dict(settings_creator(("first_name_key", "last_name_key"), []))
    first = settings["comparisons"][0]["comparison_levels"]
    first[1]["m_probability"], first[1]["u_probability"] = 0.9, 0.01
    first[2]["u_probability"] = 0.001  # m never estimated
    neutral, unobserved = neutralise_unobserved(settings)
    levels = neutral["comparisons"][0]["comparison_levels"]
    assert (levels[1]["m_probability"], levels[1]["u_probability"]) == (0.9, 0.01)
    assert levels[2]["m_probability"] == levels[2]["u_probability"] == 0.001
    assert levels[3]["m_probability"] == levels[3]["u_probability"] == UNKNOWN_PROBABILITY
    assert ["first_name", levels[2]["label_for_charts"]] in unobserved
    assert ["first_name", levels[1]["label_for_charts"]] not in unobserved


def test_training_starts_from_the_shipped_values_of_levels_with_the_same_label():
    shipped = load_model(DEFAULT_MODEL_PATH)
    fields = ("first_name_key", "last_name_key", "birth_date", "postal_key", "city_key")
    started = with_starting_values(settings_dict(settings_creator(fields, [])), shipped)
    (first,) = [c for c in started["comparisons"] if c["output_column_name"] == "first_name"]
    (shipped_first,) = [
        c
        for c in shipped["splink_settings"]["comparisons"]
        if c["output_column_name"] == "first_name"
    ]
    assert (
        first["comparison_levels"][1]["m_probability"]
        == (shipped_first["comparison_levels"][1]["m_probability"])
    )
    (address,) = [c for c in started["comparisons"] if c["output_column_name"] == "contact_address"]
    labels = [level.get("label_for_charts") for level in address["comparison_levels"]]
    assert "same phone" not in labels
