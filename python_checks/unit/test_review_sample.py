"""The review sample's pure parts: allocation, the draw, the labels it skips and the rows."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from crm_quality.ingest import RawInputError
from crm_quality.review.allocation import BANDS, NEAR_MISS, STRATUM_SHARES, allocate
from crm_quality.review.labels import labelled_pairs
from crm_quality.review.sample import (
    COMPARISON_COLUMNS,
    ScoredPair,
    draw_sample,
    review_columns,
    review_rows,
    write_review_file,
)

PLENTY = {stratum: 10_000 for stratum in STRATUM_SHARES}


def test_allocation_over_samples_the_uncertain_bands():
    counts = allocate(PLENTY, 200)
    assert sum(counts.values()) == 200
    uncertain = counts["lenient_to_headline"] + counts["headline_to_conservative"]
    assert uncertain == 140
    for stratum in ("below_lenient", "conservative", NEAR_MISS):
        assert 0 < counts[stratum] < counts["lenient_to_headline"]


def test_allocation_gives_an_exhausted_stratum_s_share_to_the_others():
    available = {**PLENTY, "headline_to_conservative": 12, NEAR_MISS: 3}
    counts = allocate(available, 200)
    assert counts["headline_to_conservative"] == 12
    assert counts[NEAR_MISS] == 3
    assert sum(counts.values()) == 200
    # The 185 pairs left go to the others in proportion to their shares (0.35, 0.1, 0.1).
    assert counts["lenient_to_headline"] == pytest.approx(185 * 0.35 / 0.55, abs=1)
    assert abs(counts["below_lenient"] - counts["conservative"]) <= 1


def test_allocation_takes_everything_when_the_warehouse_holds_fewer_pairs():
    available = {"below_lenient": 5, "lenient_to_headline": 7, "conservative": 30}
    assert allocate(available, 200) == {**dict.fromkeys(STRATUM_SHARES, 0), **available}


@pytest.mark.parametrize("size", [0, 1, 7, 199, 200, 1001])
def test_allocation_respects_size_and_availability(size):
    generator = random.Random(size)
    for _ in range(50):
        available = {stratum: generator.randint(0, 400) for stratum in STRATUM_SHARES}
        counts = allocate(available, size)
        assert sum(counts.values()) == min(size, sum(available.values()))
        assert all(0 <= counts[s] <= available[s] for s in STRATUM_SHARES)


def _pairs(per_band: int = 60) -> list[ScoredPair]:
    probability = {
        "below_lenient": 0.2,
        "lenient_to_headline": 0.7,
        "headline_to_conservative": 0.95,
        "conservative": 0.999,
    }
    return [
        ScoredPair(f"a:{band}{index:03}", f"b:{band}{index:03}", band, probability[band])
        for band in BANDS
        for index in range(per_band)
    ]


def test_draw_never_repeats_a_labelled_pair_in_either_order():
    pairs = _pairs()
    first = draw_sample(pairs, [], set(), 100, seed=1)
    labelled = {pair.key for _, pair in first.pairs}
    second = draw_sample(pairs, [], labelled, 100, seed=1)
    assert second.skipped_as_labelled == 100
    assert not labelled & {pair.key for _, pair in second.pairs}
    assert len(second.pairs) == 100


def test_labels_are_read_in_either_order_with_extra_columns_ignored(tmp_path: Path):
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "Record_Key_R;record_key_l;is_match;reviewer;comment\n"
        "a:x;b:y;1;ann;sure\n"  # written right-to-left: still the pair (a:x, b:y)
        "'=c:z;a:q;0;ann;\n"  # a key the review file neutralized, read back
        ";a:w;1;ann;no left key\n",
        encoding="utf-8",
    )
    assert labelled_pairs(labels) == {("a:x", "b:y"), ("=c:z", "a:q")}


def test_labels_without_a_key_column_name_the_file_and_column(tmp_path: Path):
    labels = tmp_path / "my_labels.csv"
    labels.write_text("record_key_l,is_match\na:1,1\n", encoding="utf-8")
    with pytest.raises(RawInputError, match=r"my_labels\.csv.*record_key_r"):
        labelled_pairs(labels)


def test_draw_is_deterministic_and_ordered_by_the_seed():
    pairs = _pairs()
    one = draw_sample(pairs, [], set(), 100, seed=1)
    shuffled = pairs[::-1]
    assert draw_sample(shuffled, [], set(), 100, seed=1).pairs == one.pairs
    assert draw_sample(pairs, [], set(), 100, seed=2).pairs != one.pairs


def test_near_misses_are_a_stratum_of_their_own():
    pairs = _pairs()
    near = [("b:below_lenient007", "a:below_lenient007"), ("a:lenient_to_headline001", "b:x")]
    draw = draw_sample(pairs, near, set(), 100, seed=1)
    drawn = [(stratum, pair.key) for stratum, pair in draw.pairs]
    # The near miss that is a scored pair is drawn once, as a near miss; the other is no pair.
    assert drawn.count((NEAR_MISS, ("a:below_lenient007", "b:below_lenient007"))) == 1
    assert [key for _, key in drawn].count(("a:below_lenient007", "b:below_lenient007")) == 1
    assert draw.available[NEAR_MISS] == 1


def _row_inputs(pair: ScoredPair, first_name: str, phone: str):
    records = {
        pair.record_key_l: {"first_name_raw": first_name, "phone_raw": phone, "city_raw": "Köln"},
        pair.record_key_r: {"first_name_raw": "-Anna", "phone_raw": "-1 (555) 12.3"},
    }
    comparison = {"pair_type": "crm_dedup", **dict.fromkeys(COMPARISON_COLUMNS, -2.5)}
    comparison["email_level"] = "=exact"
    return records, {pair.key: comparison}


def test_review_rows_neutralize_text_and_keep_numbers(tmp_path: Path):
    pair = ScoredPair("crm:1", "crm:2", "lenient_to_headline", 0.75)
    draw = draw_sample([pair], [], set(), 5, seed=0)
    records, comparisons = _row_inputs(pair, '=HYPERLINK("http://x")', "+4930123456")
    (row,) = review_rows(draw, records, comparisons)
    assert row["first_name_l"] == '\'=HYPERLINK("http://x")'
    assert row["first_name_r"] == "'-Anna"
    assert row["phone_l"] == "+4930123456"  # an E.164 phone is a number, not a formula
    assert row["phone_r"] == "-1 (555) 12.3"
    assert row["email_level"] == "'=exact"
    assert row["first_name_match_weight"] == -2.5
    assert row["city_l"] == "Köln"
    assert (row["is_match"], row["reviewer"], row["reviewed_at"]) == ("", "", "")

    out = tmp_path / "reviews" / "pairs_to_review.csv"
    write_review_file([row], out)
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        (written,) = list(reader)
    assert header[:5] == ["record_key_l", "record_key_r", "match_probability", "band", "pair_type"]
    assert header[-3:] == ["is_match", "reviewer", "reviewed_at"]
    assert header == review_columns()
    assert written[header.index("first_name_l")] == '\'=HYPERLINK("http://x")'
