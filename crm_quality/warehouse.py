"""Glue between dbt Python models and the tested pure functions.

The dbt model files stay a few lines long (they must name each `dbt.ref` literally for the
DAG); everything here takes and returns DataFrames, so it is tested without dbt.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from crm_quality.standardize import (
    Lookups,
    standardize_date_column,
    standardize_people,
    standardize_timestamp_column,
)

_EMPTY_SEEDS = {
    "placeholder_values": ["value"],
    "country_aliases": ["alias", "country_code"],
    "nicknames": ["nickname", "canonical_name"],
    "disposable_email_domains": ["domain"],
}


def parse_as_of(value: object) -> date:
    """The build's reference date: the `as_of_date` var when set, else today."""
    if value is None or str(value).strip().lower() in ("", "none", "null"):
        return date.today()
    return date.fromisoformat(str(value).strip())


def lookups_from_frames(**frames: pd.DataFrame) -> Lookups:
    """Reference lookups from the seed tables given by name; a seed not given is empty."""
    tables = [
        frames.get(name, pd.DataFrame(columns=columns)) for name, columns in _EMPTY_SEEDS.items()
    ]
    return Lookups.from_frames(*tables)


def with_text_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding only text (or nothing) as pandas `str` columns.

    DuckDB types an object column by its values: an empty or all-null one becomes NULL, which
    breaks the marts' contracts on empty input. A `str` column is always VARCHAR.
    """
    text_columns = {
        column: "str"
        for column in frame.columns
        if frame[column].dtype == object
        and pd.api.types.infer_dtype(frame[column], skipna=True) in ("string", "empty")
    }
    return frame.astype(text_columns) if text_columns else frame


def standardize_person_records(
    records: pd.DataFrame, lookups: Lookups, as_of: date
) -> pd.DataFrame:
    """CRM and billing person records with every field standardized beside its raw value."""
    people = standardize_people(with_text_dtypes(records), lookups, as_of)
    for column in ("created_at", "updated_at"):
        parsed, status = standardize_timestamp_column(people[f"{column}_raw"], lookups, as_of)
        people[column] = parsed
        people[f"{column}_status"] = status
    return people


def standardize_orders(orders: pd.DataFrame, lookups: Lookups, as_of: date) -> pd.DataFrame:
    """Orders with the order date parsed; amounts are cast in staging."""
    orders = with_text_dtypes(orders)
    parsed, status = standardize_date_column(orders["order_date_raw"], lookups, as_of)
    orders["order_date"] = parsed
    orders["order_date_status"] = status
    return orders
