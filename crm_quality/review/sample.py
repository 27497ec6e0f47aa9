"""Draw the review sample from a published warehouse and write it for a reviewer.

The draw is a stratified sample: each stratum's pairs are ordered by a hash of the seed and
the pair's record keys, and the first ones are taken, so the same warehouse, labels and seed
give the same file on DuckDB and PostgreSQL alike (no engine random(), no engine hash).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crm_quality.review.allocation import BANDS, NEAR_MISS, STRATUM_SHARES, allocate
from crm_quality.review.labels import PairKey, pair_key
from crm_quality.spreadsheet import neutralize_formula

COMPARISONS = ("first_name", "last_name", "birth_date", "email", "contact_address")
# Each comparison's level and match weight, as fct_match_pairs names them.
COMPARISON_COLUMNS = tuple(
    f"{comparison}_{part}" for comparison in COMPARISONS for part in ("level", "match_weight")
)
# The records' values as their source holds them (the *_raw columns): what the steward finds
# in the CRM or billing system, and evidence the matcher's standardizing has not touched, so
# a label does not inherit its mistakes (a nickname mapped, a phone given a wrong country).
RECORD_FIELDS: Mapping[str, str] = {
    "source_name": "source_name",
    "source_record_id": "source_record_id",
    "first_name": "first_name_raw",
    "last_name": "last_name_raw",
    "birth_date": "birth_date_raw",
    "email": "email_raw",
    "phone": "phone_raw",
    "street_address": "street_address_raw",
    "postal_code": "postal_code_raw",
    "city": "city_raw",
    "country": "country_raw",
}
LABEL_COLUMNS = ("is_match", "reviewer", "reviewed_at")
PAIR_COLUMNS = ("record_key_l", "record_key_r", "match_probability", "band", "pair_type")


def review_columns() -> list[str]:
    """The file's columns: the pair, whether it is a near miss, both records field by field
    side by side, each comparison's level and weight, then the reviewer's columns."""
    return [
        *PAIR_COLUMNS,
        "is_near_miss",
        *(f"{field}_{side}" for field in RECORD_FIELDS for side in ("l", "r")),
        *COMPARISON_COLUMNS,
        *LABEL_COLUMNS,
    ]


@dataclass(frozen=True)
class ScoredPair:
    """A pair of fct_match_pairs: its keys, band and probability."""

    record_key_l: str
    record_key_r: str
    band: str
    match_probability: float

    @property
    def key(self) -> PairKey:
        return (self.record_key_l, self.record_key_r)


@dataclass(frozen=True)
class Draw:
    """The sampled pairs (stratum by stratum) and what the summary reports."""

    pairs: list[tuple[str, ScoredPair]]
    in_warehouse: Mapping[str, int]
    available: Mapping[str, int]
    skipped_as_labelled: int


def draw_order(seed: int, key: PairKey) -> str:
    """A pair's place in its stratum's draw: a hash of the seed and its record keys."""
    return hashlib.sha256(f"{seed}\x1f{key[0]}\x1f{key[1]}".encode()).hexdigest()


def draw_sample(
    pairs: Iterable[ScoredPair],
    near_misses: Iterable[PairKey],
    labelled: set[PairKey],
    size: int,
    seed: int,
    shares: Mapping[str, float] = STRATUM_SHARES,
) -> Draw:
    """The stratified sample: near misses of missing customers form a stratum of their own
    (taken out of their band), each band another; pairs already labelled are never drawn."""
    near = {pair_key(*key) for key in near_misses}
    strata: dict[str, list[ScoredPair]] = {stratum: [] for stratum in shares}
    in_warehouse: Counter[str] = Counter()
    skipped = 0
    for pair in pairs:
        in_warehouse[pair.band] += 1
        if pair.key in labelled:
            skipped += 1
            continue
        strata[NEAR_MISS if pair.key in near else pair.band].append(pair)
    available = {stratum: len(members) for stratum, members in strata.items()}
    counts = allocate(available, size, shares)
    drawn = []
    for stratum, members in strata.items():
        members.sort(key=lambda pair: draw_order(seed, pair.key))
        drawn.extend((stratum, pair) for pair in members[: counts[stratum]])
    return Draw(drawn, dict(in_warehouse), available, skipped)


def _cell(value: Any) -> Any:
    """A cell as written: text neutralized, numbers and empties as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralize_formula(value)
    if isinstance(value, (int, float)):
        return value
    return neutralize_formula(str(value))


def review_rows(
    draw: Draw,
    records: Mapping[str, Mapping[str, Any]],
    comparisons: Mapping[PairKey, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """One row per sampled pair: its records (by record key) and comparisons (by pair)."""
    rows = []
    for stratum, pair in draw.pairs:
        row: dict[str, Any] = {
            "record_key_l": pair.record_key_l,
            "record_key_r": pair.record_key_r,
            "match_probability": pair.match_probability,
            "band": pair.band,
            "pair_type": comparisons[pair.key]["pair_type"],
            "is_near_miss": stratum == NEAR_MISS,
        }
        for side, record_key in (("l", pair.record_key_l), ("r", pair.record_key_r)):
            record = records.get(record_key, {})
            for field, column in RECORD_FIELDS.items():
                row[f"{field}_{side}"] = record.get(column)
        for column in COMPARISON_COLUMNS:
            row[column] = comparisons[pair.key][column]
        rows.append({column: _cell(row.get(column)) for column in review_columns()})
    return rows


def write_review_file(rows: Sequence[Mapping[str, Any]], out: Path) -> None:
    """The review file: UTF-8 CSV, every text cell formula-neutralized (review_rows)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=review_columns())
        writer.writeheader()
        writer.writerows(rows)


def summary(draw: Draw) -> str:
    """Pairs per band in the warehouse, sampled per stratum, skipped as already labelled."""
    sampled = Counter(stratum for stratum, _ in draw.pairs)
    lines = [f"{'stratum':<26} {'in warehouse':>12} {'sampled':>8}"]
    for band in BANDS:
        lines.append(f"{band:<26} {draw.in_warehouse.get(band, 0):>12} {sampled[band]:>8}")
    near = draw.available.get(NEAR_MISS, 0)
    lines.append(f"{'near_miss (unlabelled)':<26} {near:>12} {sampled[NEAR_MISS]:>8}")
    lines.append(f"{len(draw.pairs)} pairs sampled; {draw.skipped_as_labelled} skipped as labelled")
    return "\n".join(lines)
