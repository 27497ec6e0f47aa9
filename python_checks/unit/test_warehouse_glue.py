"""The functions the dbt Python models call."""

from __future__ import annotations

import duckdb
import pandas as pd

from crm_quality.standardize import PERSON_INPUT_COLUMNS
from crm_quality.warehouse import (
    lookups_from_frames,
    standardize_orders,
    standardize_person_records,
    with_text_dtypes,
)

SETTINGS = {
    "as_of_date": "2026-06-30",
    "min_birth_date": "1900-01-01",
    "max_age_years": "120",
    "min_order_date": "1900-01-01",
    "future_slack_days": "1",
}


def test_missing_seeds_give_empty_lookups():
    lookups = lookups_from_frames(
        placeholder_values=pd.DataFrame({"value": ["n/a"], "field_type": ["any"]})
    )
    assert "n/a" in lookups.placeholders("phone")
    assert dict(lookups.country_aliases) == {}


def _orders(dates: list[str], amounts: list[str | None] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_record_id": [str(number) for number in range(1, len(dates) + 1)],
            "order_date_raw": dates,
            "amount_raw": amounts or ["1.00"] * len(dates),
        }
    )


def test_orders_keep_every_row_and_flag_bad_dates():
    orders = _orders(["2026-01-02", "31.12.2025", "soon", "2026-07-01", "2026-07-02"])
    lookups = lookups_from_frames(
        placeholder_values=pd.DataFrame({"value": ["-"], "field_type": ["any"]})
    )
    result = standardize_orders(orders, lookups, SETTINGS)
    assert list(result["source_record_id"]) == ["1", "2", "3", "4", "5"]
    # A day of slack after as_of_date (future_slack_days), none beyond.
    assert list(result["order_date_status"]) == ["valid", "valid", "invalid", "valid", "invalid"]
    assert result["order_date"].iloc[1] == pd.Timestamp("2025-12-31")
    no_slack = standardize_orders(orders, lookups, {**SETTINGS, "future_slack_days": "0"})
    assert no_slack["order_date_status"].iloc[3] == "invalid"


def test_orders_have_their_own_earliest_date():
    orders = _orders(["1899-12-31", "1940-01-01"])
    lookups = lookups_from_frames()
    result = standardize_orders(orders, lookups, {**SETTINGS, "min_birth_date": "1950-01-01"})
    assert list(result["order_date_status"]) == ["invalid", "valid"]
    later = standardize_orders(orders, lookups, {**SETTINGS, "min_order_date": "1950-01-01"})
    assert list(later["order_date_status"]) == ["invalid", "invalid"]


def test_order_amounts_follow_the_separator_rule_and_stay_decimal():
    raw = ["1,234", "1,234.50", "12,5", "", "-5", "10.50"]
    result = standardize_orders(
        _orders(["2026-01-02"] * len(raw), raw), lookups_from_frames(), SETTINGS
    )
    assert list(result["amount_status"]) == [
        "invalid",
        "valid",
        "valid",
        "missing",
        "invalid",
        "valid",
    ]
    assert [None if pd.isna(value) else float(value) for value in result["amount"]] == [
        None,
        1234.5,
        12.5,
        None,
        None,
        10.5,
    ]
    assert list(result["amount_raw"]) == raw
    typed = duckdb.sql("select typeof(amount) from result limit 1").fetchall()[0][0]
    assert typed == "DECIMAL(18,2)"


def test_person_records_take_the_birth_date_rules_from_the_settings(lookups):
    records = pd.DataFrame(
        {column: [None, None] for column in PERSON_INPUT_COLUMNS}
        | {
            "birth_date_raw": ["1940-05-01", "1899-05-01"],
            "created_at_raw": ["2026-07-01", "2026-07-02"],
            "updated_at_raw": [None, None],
        }
    )
    default = standardize_person_records(records, lookups, SETTINGS)
    assert list(default["birth_date_status"]) == ["valid", "invalid"]
    assert list(default["created_at_status"]) == ["valid", "invalid"]
    stricter = standardize_person_records(
        records, lookups, {**SETTINGS, "min_birth_date": "1950-01-01", "future_slack_days": "2"}
    )
    assert list(stricter["birth_date_status"]) == ["invalid", "invalid"]
    assert list(stricter["created_at_status"]) == ["valid", "valid"]
    younger = standardize_person_records(records, lookups, {**SETTINGS, "max_age_years": "80"})
    assert list(younger["birth_date_status"]) == ["invalid", "invalid"]


def test_text_columns_of_an_empty_frame_become_str():
    empty = pd.DataFrame(
        {"record_key": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}
    )
    typed = with_text_dtypes(empty)
    assert str(typed["record_key"].dtype) == "str" and typed["n"].dtype == "int64"
    mixed = pd.DataFrame({"a": ["x", None], "b": [object(), None]})
    assert str(with_text_dtypes(mixed)["a"].dtype) == "str"
    assert with_text_dtypes(mixed)["b"].dtype == object


def _resolved(rows: list[tuple]) -> duckdb.DuckDBPyRelation:
    columns = [
        "record_key",
        "customer_id",
        "source_system",
        "phone_raw",
        "phone_status",
        "country",
        "country_status",
    ]
    return duckdb.connect().from_df(pd.DataFrame(rows, columns=columns))
