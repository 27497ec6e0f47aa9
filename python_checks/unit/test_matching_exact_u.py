"""The household levels' u counted over every pair (crm_quality.matching.exact_u)."""

from __future__ import annotations

import logging
import math
from collections import Counter

import pytest
from splink import DuckDBAPI, Linker

from crm_quality.matching.exact_u import exact_level_pairs, with_exact_u
from crm_quality.matching.settings import exact_levels, settings_creator, settings_dict
from crm_quality.matching.training import train_model
from python_checks.unit.test_matching_scoring import training_records

ALL_FIELDS = (
    "first_name_key",
    "last_name_key",
    "email",
    "phone",
    "street_key",
    "postal_key",
    "city_key",
    "birth_date",
)


def splinks_level_pairs(records, fields) -> Counter:
    """contact_address's level label → pairs, as Splink compares every pair of `records`."""
    settings = settings_creator(fields, [])
    linker = Linker(DuckDBAPI().register(records), settings, log_level=logging.WARNING)
    comparison = next(
        c for c in linker._settings_obj.comparisons if c.output_column_name == "contact_address"
    )
    labels = {
        level.comparison_vector_value: level.label_for_charts
        for level in comparison.comparison_levels
    }
    linker._settings_obj._retain_intermediate_calculation_columns = True
    pairs = linker.inference.predict().as_pandas_dataframe()
    return Counter(pairs["gamma_contact_address"].map(labels))


def shared_apart(records):
    """`records` where some share only a phone and some only a street address: every level
    has pairs."""
    records = records.copy()
    for offset, columns in ((0, ["phone"]), (1, ["street_key", "postal_key", "city_key"])):
        takers, givers = records.index[offset:60:4], records.index[offset + 200 : 260 : 4]
        records.loc[takers, columns] = records.loc[givers, columns].to_numpy()
    return records


@pytest.mark.parametrize(
    "dropped",
    [(), ("postal_key",), ("phone",), ("postal_key", "city_key"), ("street_key",)],
    ids=["all", "no postcode", "no phone", "no place", "no street"],
)
def test_counted_pairs_are_the_pairs_splink_puts_at_each_level(dropped):
    # Splink compares every pair: 200 people (about 470 records).
    records = shared_apart(training_records(4, people=200)).drop(columns=list(dropped))
    fields = tuple(field for field in ALL_FIELDS if field not in dropped)
    db_api = DuckDBAPI()
    table = db_api.register(records).physical_name
    levels = exact_levels(fields)
    counted = exact_level_pairs(db_api, table, levels)
    compared = splinks_level_pairs(records, fields)

    assert counted == {(level.comparison, level.label): compared[level.label] for level in levels}
    assert all(counted.values()), counted


def test_counted_levels_replace_the_sampled_and_the_rest_still_sums_to_one():
    settings = settings_dict(settings_creator(ALL_FIELDS, []))
    address = next(
        c for c in settings["comparisons"] if c["output_column_name"] == "contact_address"
    )
    levels = [level for level in address["comparison_levels"] if not level.get("is_null_level")]
    for level in levels:
        level["u_probability"] = 1.0 / len(levels)
    levels[2]["u_probability"] = "level not observed in training dataset"
    counted = {
        ("contact_address", levels[0]["label_for_charts"]): 30.0,
        ("contact_address", levels[1]["label_for_charts"]): 0.0,  # none: left as sampled
    }
    with_exact_u(settings, counted, {"contact_address": 1_000_000.0})

    assert levels[0]["u_probability"] == 30.0 / 1_000_000
    assert levels[2]["u_probability"] == "level not observed in training dataset"
    assert levels[1]["u_probability"] > 0.1  # counted none: its sampled share, rescaled
    observed = [level["u_probability"] for level in levels if level is not levels[2]]
    assert math.isclose(sum(observed), 1.0)
    first_name = settings["comparisons"][0]["comparison_levels"]
    assert all("u_probability" not in level for level in first_name)  # other comparisons alone


def test_a_households_u_does_not_rest_on_a_few_sampled_pairs():
    """Housemates share phone, street and postcode: among the pairs that are not one person,
    that level's share must be what the records hold, not what a small sample happened to
    meet (a sample of 20,000 pairs holds about four of them)."""
    records = training_records(4)
    person = records["record_key"].str.slice(-5).where(~records["record_key"].str.contains(":H"))
    households = records.assign(person=person.fillna(records["record_key"]))
    same_place = households.groupby(["phone", "street_key", "postal_key"])
    strangers = sum(
        len(group) * (len(group) - 1) // 2
        - sum(n * (n - 1) // 2 for n in group["person"].value_counts())
        for _, group in same_place
    )
    n = len(records)
    people = households["person"].value_counts()
    non_matches = n * (n - 1) / 2 - sum(k * (k - 1) / 2 for k in people)
    truth = strangers / non_matches

    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e4)
    address = next(
        c
        for c in model["splink_settings"]["comparisons"]
        if c["output_column_name"] == "contact_address"
    )
    level = next(
        level
        for level in address["comparison_levels"]
        if level.get("label_for_charts") == "same phone and street address"
    )
    assert strangers > 50
    assert level["u_probability"] == pytest.approx(truth, rel=0.1)
