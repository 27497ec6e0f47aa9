"""A simulated reviewer: labels pairs from a generated dataset's truth, as a steward would.

The generator (python_checks/dbt_runner.generate_demo) writes truth_records.csv beside the raw
files: each row's true person, by source and row number. Two records are a match when they are
the same person; two members of one household (shared address, family inbox) are not.
Records are placed by their row in the source file (the staging models' source_row_number), not
by id: records with a blank or repeated id (a newsletter list has none) get a hashed id in the
warehouse, and a reviewer judges them too. A record the truth cannot place leaves its pair
unlabelled, as a reviewer skips a pair they cannot decide.

    labels = label_pairs(pairs, raw_dir, warehouse)      # DataFrame in the labels file's columns
    write_labels(labels, Path("labels.csv"))             # appended when the file exists
    label_review_file(review_csv, raw_dir, warehouse, labels_csv)  # a whole review file
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from crm_quality.connect import connect
from crm_quality.spreadsheet import restore_formula

LABEL_COLUMNS = ("record_key_l", "record_key_r", "is_match", "reviewer", "reviewed_at")
# What a steward's labelled review file also carries: the stratum each pair was drawn from.
SAMPLED_COLUMNS = ("band", "is_near_miss")
REVIEWER = "simulated-from-truth"
REVIEWED_AT = "2026-06-30T12:00:00"
# Each staged person record's key by its source and row (the raw loader's row number).
STAGED_ROWS_SQL = """
    select source_name, cast(source_row_number as varchar), source_name || ':' || source_record_id
    from stg_crm__contacts
    union all
    select source_name, cast(source_row_number as varchar), source_name || ':' || source_record_id
    from stg_billing__customers
"""


def true_persons(raw_dir: str | Path, warehouse: str | Path) -> dict[str, str]:
    """record_key (as in customer_xref) → true person id, for every record of the generated
    raw directory `raw_dir` built into the DuckDB `warehouse`."""
    truth = pd.read_csv(Path(raw_dir) / "truth_records.csv", dtype=str, keep_default_na=False)
    if "source_name" not in truth.columns:  # the contract layout: sources named by role
        truth["source_name"] = truth["source_system"]
    person = {
        (name, row): person_id
        for name, row, person_id in truth[["source_name", "row_number", "person_id"]].itertuples(
            index=False
        )
    }
    with connect(warehouse, restricted=True) as connection:
        staged = connection.execute(STAGED_ROWS_SQL).fetchall()
    return {key: person[name, row] for name, row, key in staged if (name, row) in person}


def label_pairs(
    pairs: Iterable[tuple[str, str]],
    raw_dir: str | Path,
    warehouse: str | Path,
    *,
    reviewer: str = REVIEWER,
    reviewed_at: str = REVIEWED_AT,
) -> pd.DataFrame:
    """Labels of `pairs` (record_key_l, record_key_r as in customer_xref) from the truth of
    the generated raw directory `raw_dir`, built into the DuckDB `warehouse`: is_match 1 for
    the same person, else 0. Pairs with a record the truth cannot place are left out.
    Columns: LABEL_COLUMNS, pairs in the order given."""
    person = true_persons(raw_dir, warehouse)
    rows = [
        (left, right, int(person[left] == person[right]), reviewer, reviewed_at)
        for left, right in pairs
        if left in person and right in person
    ]
    return pd.DataFrame(rows, columns=list(LABEL_COLUMNS))


def write_labels(labels: pd.DataFrame, path: Path) -> None:
    """Append `labels` to the labels CSV `path` (its header written when new), as a steward
    appends each reviewed file to the one labels file CRM_LABELS names."""
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow((*LABEL_COLUMNS, *SAMPLED_COLUMNS))
        written = labels.reindex(columns=[*LABEL_COLUMNS, *SAMPLED_COLUMNS], fill_value="")
        writer.writerows(written.itertuples(index=False))


def label_review_file(
    review_csv: Path, raw_dir: str | Path, warehouse: str | Path, labels_csv: Path
) -> pd.DataFrame:
    """Review a whole pairs_to_review.csv (make review-sample) from the truth and append the
    labels to `labels_csv`; returns the labels written."""
    review = pd.read_csv(review_csv, dtype=str, keep_default_na=False)
    pairs = [
        (restore_formula(left), restore_formula(right))
        for left, right in zip(review["record_key_l"], review["record_key_r"], strict=True)
    ]
    labels = label_pairs(pairs, raw_dir, warehouse)
    drawn = pd.DataFrame(
        {
            "record_key_l": [left for left, _ in pairs],
            "record_key_r": [right for _, right in pairs],
            **{column: review[column] for column in SAMPLED_COLUMNS},
        }
    )
    labels = labels.merge(drawn, on=["record_key_l", "record_key_r"], how="left")
    write_labels(labels, labels_csv)
    return labels
