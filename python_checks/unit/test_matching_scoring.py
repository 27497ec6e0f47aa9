"""Scoring and training end to end on small fabricated records (Splink on in-memory DuckDB).

Households (same surname, address and landline; different first name and birth date) must
stay apart; duplicates with a typo or a second e-mail must link. Training is deterministic.
"""

from __future__ import annotations

import logging
import random

import duckdb
import pandas as pd
import pytest
from splink import DuckDBAPI, Linker

from crm_quality.matching.clusters import cluster_pairs_at_thresholds
from crm_quality.matching.features import features_sql
from crm_quality.matching.model import DEFAULT_MODEL_PATH, load_model
from crm_quality.matching.prediction import level_labels, pair_table_schema, score_pairs
from crm_quality.matching.profile import IDENTIFYING_FIELDS
from crm_quality.matching.settings import COMPARISONS, settings_creator, settings_dict
from crm_quality.matching.training import _em_round, train_model

FIRST = ["anna", "peter", "lena", "jonas", "marie", "paul", "sophie", "felix", "emma", "lukas"]
LAST = ["muller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker"]
CITIES = [("berlin", "10"), ("hamburg", "20"), ("munchen", "80"), ("koln", "50")]
# A realistic prior: score as if among the ~35,000 records the model was trained on.
POPULATION = 35_000


def person(rng: random.Random, number: int, **fixed) -> dict:
    city, prefix = CITIES[number % len(CITIES)]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    record = {
        "record_key": f"crm:F{number:05d}",
        "source_system": "crm",
        "first_name_key": first,
        "last_name_key": last,
        "email": f"{first}.{last}{number}@example.de",
        "phone": f"+49170{number:07d}",
        "street_address": f"Gartenweg {number % 97 + 1}",
        "postal_code": f"{prefix}{number % 997:03d}",
        "city": city,
        "birth_date": f"{1940 + number % 60}-{number % 12 + 1:02d}-{number % 27 + 1:02d}",
    }
    record.update(fixed)
    return record


def features(rows: list[dict]) -> pd.DataFrame:
    records = pd.DataFrame(rows)
    records["birth_date"] = pd.to_datetime(records["birth_date"])
    records["phone_key"] = records["phone"]  # what matching compares (E.164 here)
    connection = duckdb.connect()
    connection.register("records", records)
    return connection.sql(features_sql("records", 20)).df()


ANNA = {
    "first_name_key": "anna",
    "last_name_key": "muller",
    "email": "anna.muller@example.de",
    "phone": "+4930123456",
    "street_address": "Hauptstrasse 1",
    "postal_code": "10115",
    "city": "berlin",
    "birth_date": "1980-03-05",
}


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    rng = random.Random(7)
    filler = [person(rng, number) for number in range(300)]
    family = [
        {**ANNA, "record_key": "crm:anna"},
        # Her duplicate: a typo in the first name and her second e-mail address.
        {**ANNA, "record_key": "crm:anna-dup", "first_name_key": "anja", "email": "am@web.de"},
        # Another: first name and surname entered into each other's fields.
        {
            **ANNA,
            "record_key": "crm:anna-swapped",
            "first_name_key": "muller",
            "last_name_key": "anna",
            "email": None,
        },
        {**ANNA, "record_key": "billing:anna", "source_system": "billing"},
        # Her household: same surname, address and landline; other first names and birthdays.
        {
            **ANNA,
            "record_key": "crm:peter",
            "first_name_key": "peter",
            "email": "peter.muller@example.de",
            "birth_date": "1976-11-20",
        },
        {
            **ANNA,
            "record_key": "billing:lena",
            "source_system": "billing",
            "first_name_key": "lena",
            "email": "lena.m@example.de",
            "birth_date": "2005-01-02",
        },
    ]
    rows = [{"source_system": "crm", **row} for row in filler + family]
    pairs = score_pairs(
        DuckDBAPI(),
        features(rows),
        load_model(DEFAULT_MODEL_PATH),
        min_match_probability=0.0,
        record_count=POPULATION,
    ).as_pandas_dataframe()
    return pairs.set_index(["record_key_l", "record_key_r"])


def probability(pairs: pd.DataFrame, left: str, right: str) -> float:
    key = (min(left, right), max(left, right))
    return float(pairs.loc[key, "match_probability"]) if key in pairs.index else 0.0


def test_duplicate_with_typo_and_second_email_links(scored):
    assert probability(scored, "crm:anna", "crm:anna-dup") > 0.99
    pair = scored.loc[("crm:anna", "crm:anna-dup")]
    assert pair["first_name_level"] == "one typo"
    assert pair["email_level"] == "different"
    assert pair["contact_address_level"] == "same phone and street address"


def test_swapped_names_still_link(scored):
    assert probability(scored, "crm:anna", "crm:anna-swapped") > 0.99
    pair = scored.loc[("crm:anna", "crm:anna-swapped")]
    assert pair["first_name_level"] == pair["last_name_level"] == "swapped with the other name"
    # The swap is one piece of evidence about both names: it weighs once, in the first name.
    assert pair["first_name_match_weight"] > 0
    assert pair["last_name_match_weight"] == 0


def test_crm_contact_links_to_her_billing_account(scored):
    assert probability(scored, "billing:anna", "crm:anna") > 0.999


def test_household_members_stay_apart(scored):
    for left, right in [
        ("crm:anna", "crm:peter"),
        ("crm:anna", "billing:lena"),
        ("crm:peter", "billing:lena"),
        ("billing:anna", "billing:lena"),
    ]:
        assert probability(scored, left, right) < 0.01, (left, right)
    pair = scored.loc[("crm:anna", "crm:peter")]
    assert pair["contact_address_level"] == "same phone and street address"
    assert pair["first_name_level"] == "different"
    assert pair["birth_date_level"] == "different"


def test_weights_add_up_and_no_compared_value_is_kept(scored):
    weights = scored[[f"{c}_match_weight" for c in COMPARISONS]].sum(axis=1)
    prior = scored["match_weight"] - weights
    assert prior.max() - prior.min() < 1e-9
    assert set(scored.reset_index().columns) == set(pair_table_schema().names)


def test_clusters_keep_anna_together_and_her_household_apart(scored):
    pairs = scored.reset_index()
    keys = sorted(set(pairs["record_key_l"]) | set(pairs["record_key_r"]))
    clusters = cluster_pairs_at_thresholds(keys, pairs, {"headline": 0.9}).set_index("record_key")[
        "headline_cluster_id"
    ]
    assert clusters["crm:anna"] == clusters["crm:anna-dup"] == clusters["billing:anna"]
    assert clusters["crm:anna-swapped"] == clusters["crm:anna"]
    assert clusters["crm:anna"] == "billing:anna"  # the smallest member key
    assert clusters["crm:peter"] == "crm:peter"
    assert clusters["billing:lena"] == "billing:lena"


def test_level_labels_follow_gamma_order():
    labels = level_labels(load_model(DEFAULT_MODEL_PATH)["splink_settings"])
    assert labels["email"] == {-1: "null", 1: "exact", 0: "different"}
    assert labels["first_name"][5] == "exact"
    assert labels["first_name"][4] == "swapped with the other name"
    assert labels["first_name"][3] == "one name in the other's field"
    assert "one name in the other's field" not in labels["last_name"].values()
    assert labels["first_name"][0] == "different"


def training_records(seed: int, people: int = 500) -> pd.DataFrame:
    """People with CRM duplicates, billing accounts and households, as matching features."""
    rng = random.Random(seed)
    rows = []
    for number in range(people):
        base = person(rng, number)
        rows.append(base)
        rows.append({**base, "record_key": f"billing:B{number:05d}", "source_system": "billing"})
        if number % 5 == 0:
            rows.append({**base, "record_key": f"crm:D{number:05d}", "email": f"d{number}@gmx.de"})
        if number % 9 == 0:
            housemate = person(rng, number + 10_000, record_key=f"crm:H{number:05d}")
            for field in ("last_name_key", "phone", "street_address", "postal_code", "city"):
                housemate[field] = base[field]
            rows.append(housemate)
    return features(rows)


def test_training_is_deterministic():
    records = training_records(3)
    first = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)
    second = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)
    assert first == second
    assert first["training"]["record_count"] == len(records)


def test_training_on_records_without_any_duplicate_keeps_a_positive_prior():
    # A small, clean export: no pair agrees on a deterministic key, so Splink's estimate of
    # the prior is 0 and its log-odds undefined.
    rng = random.Random(8)
    records = features([person(rng, number) for number in range(300)])
    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e4)
    prior = model["splink_settings"]["probability_two_random_records_match"]
    assert 0 < prior < 1 / len(records)


def records_sharing_no_birth_date() -> pd.DataFrame:
    """People in the CRM and billing; only the CRM records carry a birth date."""
    rng = random.Random(4)
    rows = []
    for number in range(400):
        base = person(rng, number)
        rows.append(base)
        billing = {"record_key": f"billing:B{number:05d}", "source_system": "billing"}
        rows.append({**base, **billing, "birth_date": None})
    return features(rows)


def test_an_em_round_that_finds_no_pairs_leaves_the_model_whole():
    records = records_sharing_no_birth_date()
    fields = IDENTIFYING_FIELDS
    linker = Linker(
        DuckDBAPI().register(records),
        settings_dict(settings_creator(fields, [])),
        log_level=logging.WARNING,
    )
    key = ("first_name_key", "last_name_key", "birth_date")
    round_ = _em_round(linker.training, key, 0, fields, 5e5)

    assert not round_["converged"] and "no record pairs" in round_["error"]
    assert [c.output_column_name for c in linker._settings_obj.comparisons] == list(COMPARISONS)


def test_training_keeps_every_comparison_when_a_training_key_pairs_nothing():
    """Only the CRM's first records carry a birth date, so no two records share first name,
    surname and birth date (the first training key). Splink drops a round's blocked
    comparisons from the model before it finds no pairs: names and birth dates then left
    the model without a word (fct_matching_fields still listed them)."""
    records = records_sharing_no_birth_date()
    fields = ("first_name_key", "last_name_key", "email", "phone", "street_key", "postal_key")
    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)

    compared_names = [c["output_column_name"] for c in model["splink_settings"]["comparisons"]]
    assert compared_names == list(COMPARISONS)
    assert set(fields) <= set(model["training"]["fields"])
    assert all(round_["pairs"] > 0 for round_ in model["training"]["em_rounds"])
