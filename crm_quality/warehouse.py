"""The Python reference of the standardization models, over DataFrames.

int_person_records_standardized and int_orders_standardized are SQL (macros/standardize);
python_checks/integration/test_standardized_models.py compares them column by column with
these functions, which call the tested pure functions of crm_quality.standardize.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

from crm_quality.settings import setting
from crm_quality.standardize import (
    Lookups,
    standardize_date_column,
    standardize_people,
    standardize_timestamp_column,
)
from crm_quality.standardize.amount import amount_fields

# decimal(18, 2) whatever the values (an object column of Decimals would be typed by them).
AMOUNT_DTYPE = pd.ArrowDtype(pa.decimal128(18, 2))

_EMPTY_SEEDS = {
    "placeholder_values": ["value", "field_type"],
    "country_aliases": ["alias", "country_code"],
    "nicknames": ["nickname", "canonical_name"],
    "disposable_email_domains": ["domain"],
}


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


def source_date_orders(
    frame: pd.DataFrame, date_orders: Mapping[str, str | None] | None
) -> pd.Series | None:
    """Each row's date order: its source's (source_name) in `date_orders`, the sources' declared
    `date_order` (stg_sources__fields); a source not there reads by the default."""
    if date_orders is None:
        return None
    return frame["source_name"].map(lambda name: date_orders.get(name)).astype(object)


def standardize_person_records(
    records: pd.DataFrame,
    lookups: Lookups,
    settings: Mapping[str, object],
    date_orders: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """CRM and billing person records with every field standardized beside its raw value.

    `settings` is the models' `settings` config: as_of_date, min_birth_date, max_age_years,
    future_slack_days. `date_orders`: source_name → its declared date_order (None, or a
    source left out, for the default).
    """
    as_of = setting(settings, "as_of_date")
    slack = setting(settings, "future_slack_days")
    records = with_text_dtypes(records)
    date_order = source_date_orders(records, date_orders)
    people = standardize_people(
        records,
        lookups,
        as_of,
        earliest_birth_date=setting(settings, "min_birth_date"),
        max_age_years=setting(settings, "max_age_years"),
        date_order=date_order,
    )
    for column in ("created_at", "updated_at"):
        parsed, status = standardize_timestamp_column(
            people[f"{column}_raw"], lookups, as_of, future_slack_days=slack, date_order=date_order
        )
        people[column] = parsed
        people[f"{column}_status"] = status
    return people


def standardize_orders(
    orders: pd.DataFrame,
    lookups: Lookups,
    settings: Mapping[str, object],
    date_orders: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Orders with the order date and the amount parsed, each with its status.

    `settings`: as_of_date, min_order_date, future_slack_days; `date_orders` as for
    standardize_person_records. The amount is null unless valid
    (crm_quality.standardize.amount states the rule); amount_raw keeps the text.
    """
    orders = with_text_dtypes(orders)
    parsed, status = standardize_date_column(
        orders["order_date_raw"],
        lookups,
        setting(settings, "as_of_date"),
        future_slack_days=setting(settings, "future_slack_days"),
        earliest=setting(settings, "min_order_date"),
        date_order=source_date_orders(orders, date_orders),
    )
    orders["order_date"] = parsed
    orders["order_date_status"] = status
    amounts = [amount_fields(raw) for raw in orders["amount_raw"].tolist()]
    orders["amount"] = pd.Series(
        [amount for amount, _ in amounts], index=orders.index, dtype=AMOUNT_DTYPE
    )
    orders["amount_status"] = pd.Series(
        [status for _, status in amounts], index=orders.index, dtype="str"
    )
    return orders
