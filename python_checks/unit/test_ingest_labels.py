"""The review labels file (CRM_LABELS) read as it comes: every row kept, clear errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_quality.ingest import RawInputError
from crm_quality.ingest.labels import load_labels


def rows(path: Path | None) -> list[tuple]:
    with duckdb.connect() as connection:
        return load_labels(connection, path).order("_row_number").fetchall()


def test_without_a_labels_file_the_table_is_empty_with_its_columns():
    with duckdb.connect() as connection:
        relation = load_labels(connection, None)
        assert relation.fetchall() == []
        assert relation.columns[:5] == [
            "record_key_l", "record_key_r", "is_match", "reviewer", "reviewed_at",
        ]  # fmt: skip


def test_the_review_sample_can_be_appended_as_it_is(tmp_path):
    """Extra columns (the sample's side-by-side fields) are ignored, missing optional ones null."""
    path = tmp_path / "labels.csv"
    path.write_text(
        "band,record_key_l,first_name_l,record_key_r,IS_MATCH\nuncertain,crm:1,Anna,crm:2,1\n",
        encoding="utf-8",
    )
    (row,) = rows(path)
    assert row[:5] == ("crm:1", "crm:2", "1", None, None)


def test_a_missing_key_column_names_the_file_and_the_column(tmp_path):
    path = tmp_path / "my_labels.csv"
    path.write_text("record_key_l,is_match\ncrm:1,1\n", encoding="utf-8")
    with pytest.raises(RawInputError, match="my_labels.csv.*record_key_r|record_key_r.*my_labels"):
        rows(path)


def test_a_missing_file_names_crm_labels(tmp_path):
    with pytest.raises(RawInputError, match="CRM_LABELS"):
        rows(tmp_path / "nowhere.csv")
