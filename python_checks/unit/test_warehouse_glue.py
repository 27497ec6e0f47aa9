"""The functions the dbt Python models call."""

from __future__ import annotations

from datetime import date

import pandas as pd

from crm_quality.warehouse import (
    lookups_from_frames,
    parse_as_of,
    standardize_orders,
    with_text_dtypes,
)


def test_parse_as_of_defaults_to_today_for_unset_values():
    for unset in (None, "", "None", "null"):
        assert parse_as_of(unset) == date.today()
    assert parse_as_of(" 2026-06-30 ") == date(2026, 6, 30)


def test_missing_seeds_give_empty_lookups():
    lookups = lookups_from_frames(placeholder_values=pd.DataFrame({"value": ["n/a"]}))
    assert "n/a" in lookups.placeholders
    assert dict(lookups.country_aliases) == {}


def test_orders_keep_every_row_and_flag_bad_dates():
    orders = pd.DataFrame(
        {
            "source_record_id": ["1", "2", "3"],
            "order_date_raw": ["2026-01-02", "31.12.2025", "soon"],
        }
    )
    lookups = lookups_from_frames(placeholder_values=pd.DataFrame({"value": ["-"]}))
    result = standardize_orders(orders, lookups, date(2026, 6, 30))
    assert list(result["source_record_id"]) == ["1", "2", "3"]
    assert list(result["order_date_status"]) == ["valid", "valid", "invalid"]
    assert result["order_date"].iloc[1] == pd.Timestamp("2025-12-31")


def test_text_columns_of_an_empty_frame_become_str():
    empty = pd.DataFrame(
        {"record_key": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}
    )
    typed = with_text_dtypes(empty)
    assert str(typed["record_key"].dtype) == "str" and typed["n"].dtype == "int64"
    mixed = pd.DataFrame({"a": ["x", None], "b": [object(), None]})
    assert str(with_text_dtypes(mixed)["a"].dtype) == "str"
    assert with_text_dtypes(mixed)["b"].dtype == object
