"""make review-sample on a generated build: the sample's strata, its near misses, the pairs it
never repeats, and the simulated reviewer (python_checks/review_truth.py) against the truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from crm_quality.review.__main__ import main as review_main
from crm_quality.spreadsheet import is_formula
from python_checks.dbt_runner import DbtRun
from python_checks.integration.conftest import REVIEW_SAMPLE_SIZE
from python_checks.review_truth import label_pairs, label_review_file

pytestmark = pytest.mark.integration

UNCERTAIN = ("lenient_to_headline", "headline_to_conservative")
SAMPLE_SIZE = REVIEW_SAMPLE_SIZE


@pytest.fixture(scope="module")
def build(review_build) -> tuple[Path, DbtRun]:
    return review_build


def _sample(run: DbtRun, out: Path, labels: Path | None = None) -> pd.DataFrame:
    arguments = ["sample", "--warehouse", str(run.warehouse), "--out", str(out)]
    assert review_main([*arguments, *(["--labels", str(labels)] if labels else [])]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def first_sample(build, tmp_path_factory) -> pd.DataFrame:
    return _sample(build[1], tmp_path_factory.mktemp("first") / "pairs_to_review.csv")


def test_the_file_has_the_pairs_then_both_records_then_the_label_columns(build, first_sample):
    _, run = build
    columns = list(first_sample.columns)
    assert columns[:5] == ["record_key_l", "record_key_r", "match_probability", "band", "pair_type"]
    assert columns[-3:] == ["is_match", "reviewer", "reviewed_at"]
    for field in ("source_record_id", "first_name", "email", "phone", "postal_code", "country"):
        assert {f"{field}_l", f"{field}_r"} <= set(columns)
    assert {"first_name_level", "contact_address_match_weight"} <= set(columns)
    assert (first_sample[["is_match", "reviewer", "reviewed_at"]] == "").all().all()
    assert len(first_sample) == SAMPLE_SIZE
    keys = {key for (key,) in run.query("select record_key from customer_xref")}
    assert set(first_sample["record_key_l"]) | set(first_sample["record_key_r"]) <= keys
    for side in ("l", "r"):  # each side's record is the key's record
        names = first_sample[f"source_name_{side}"] + ":" + first_sample[f"source_record_id_{side}"]
        assert (names == first_sample[f"record_key_{side}"]).all()
    # Probability, band and comparison values are fct_match_pairs' own.
    pairs = pd.DataFrame(
        run.query("select record_key_l, record_key_r, band, email_level from fct_match_pairs"),
        columns=["record_key_l", "record_key_r", "band", "email_level"],
    )
    joined = first_sample.merge(pairs, on=["record_key_l", "record_key_r"], suffixes=("", "_db"))
    assert len(joined) == len(first_sample)
    assert (joined["band"] == joined["band_db"]).all()
    assert (joined["email_level"] == joined["email_level_db"]).all()


def test_the_uncertain_bands_are_over_sampled_and_every_band_has_pairs(build, first_sample):
    _, run = build
    in_warehouse = dict(run.query("select band, count(*) from fct_match_pairs group by band"))
    sampled = Counter(first_sample["band"])
    uncertain_share = sum(sampled[band] for band in UNCERTAIN) / len(first_sample)
    warehouse_share = sum(in_warehouse.get(band, 0) for band in UNCERTAIN) / sum(
        in_warehouse.values()
    )
    assert uncertain_share > 3 * warehouse_share
    # Each uncertain band gets its 35 %, or every pair it has (near misses drawn apart).
    for band in UNCERTAIN:
        assert sampled[band] >= min(0.35 * SAMPLE_SIZE, in_warehouse[band] - 5), band
    assert all(sampled[band] > 0 for band in in_warehouse)


def test_the_near_misses_of_missing_customers_are_in_the_sample(build, first_sample):
    _, run = build
    near = run.query(
        "select nearest_billing_record_key, nearest_crm_record_key from fct_missing_customers"
        " where missing_reason = 'near_miss'"
    )
    assert near, "the generated data should have near misses"
    flagged = first_sample[first_sample["is_near_miss"] == "true"]
    flagged_pairs = set(zip(flagged["record_key_l"], flagged["record_key_r"], strict=True))
    expected = {tuple(sorted(pair)) for pair in near}
    # Their stratum's share is 10 %: all of them when that many, else that many of them.
    assert len(flagged_pairs) == min(len(expected), round(0.1 * SAMPLE_SIZE))
    assert flagged_pairs <= expected
    assert set(flagged["pair_type"]) == {"crm_billing_link"}


def test_text_cells_are_formula_safe(first_sample):
    text = first_sample.drop(columns=["match_probability"]).to_numpy().ravel()
    assert not [value for value in text if is_formula(value)]


def test_labelled_pairs_are_never_asked_again_and_the_draw_repeats(build, first_sample, tmp_path):
    raw_dir, run = build
    first = tmp_path / "first.csv"
    first_sample.to_csv(first, index=False)
    labels = tmp_path / "labels.csv"
    written = label_review_file(first, raw_dir, run.warehouse, labels)
    assert len(written) == len(first_sample)
    # A steward may write a pair the other way round: it is still labelled.
    text = labels.read_text(encoding="utf-8").splitlines()
    left, right, rest = text[1].split(",", 2)
    labels.write_text("\n".join([text[0], f"{right},{left},{rest}", *text[2:]]) + "\n")

    second = _sample(run, tmp_path / "second.csv", labels)
    _sample(run, tmp_path / "again.csv", labels)
    asked = set(zip(first_sample["record_key_l"], first_sample["record_key_r"], strict=True))
    assert not asked & set(zip(second["record_key_l"], second["record_key_r"], strict=True))
    assert len(second) == SAMPLE_SIZE
    assert (tmp_path / "second.csv").read_bytes() == (tmp_path / "again.csv").read_bytes()


def test_the_simulated_reviewer_labels_duplicates_1_and_households_0(build):
    raw_dir, run = build
    pairs = run.query("select record_key_l, record_key_r from fct_match_pairs")
    labels = label_pairs(pairs, raw_dir, run.warehouse)
    assert len(labels) == len(pairs)  # every record is placed, blank-id records too
    truth = pd.read_csv(raw_dir / "truth_records.csv", dtype=str, keep_default_na=False)
    assert "newsletter" in set(truth["source_name"])  # records without ids are judged too
    staged = pd.DataFrame(
        run.query(
            "select source_name, cast(source_row_number as varchar), record_key"
            " from stg_crm__contacts inner join customer_xref using (source_name, source_record_id)"
            " union all select source_name, cast(source_row_number as varchar), record_key"
            " from stg_billing__customers"
            " inner join customer_xref using (source_name, source_record_id)"
        ),
        columns=["source_name", "row_number", "record_key"],
    ).merge(truth, on=["source_name", "row_number"])
    people = staged.set_index("record_key")[["person_id", "household_id"]]
    judged = labels.join(people, on="record_key_l").join(people.add_suffix("_r"), on="record_key_r")
    same_person = judged["person_id"] == judged["person_id_r"]
    household = (judged["household_id"] != "") & (
        judged["household_id"] == judged["household_id_r"]
    )
    assert same_person.any() and (household & ~same_person).any()
    assert (judged.loc[same_person, "is_match"] == 1).all()
    assert (judged.loc[household & ~same_person, "is_match"] == 0).all()
    assert list(labels.columns) == [
        "record_key_l", "record_key_r", "is_match", "reviewer", "reviewed_at",
    ]  # fmt: skip
