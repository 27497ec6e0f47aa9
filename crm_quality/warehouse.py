"""Glue between dbt Python models and the tested pure functions.

The dbt model files stay a few lines long (they must name each `dbt.ref` literally for the
DAG); everything here takes and returns DataFrames, so it is tested without dbt.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
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
from crm_quality.standardize.phone import e164_from_text, normalize_region
from crm_quality.standardize.text import clean_text, default_placeholders
from crm_quality.standardize.validate import INVALID, UNVERIFIABLE, VALID

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


def standardize_person_records(
    records: pd.DataFrame, lookups: Lookups, settings: Mapping[str, object]
) -> pd.DataFrame:
    """CRM and billing person records with every field standardized beside its raw value.

    `settings` is the models' `settings` config: as_of_date, min_birth_date, max_age_years,
    future_slack_days.
    """
    as_of = setting(settings, "as_of_date")
    slack = setting(settings, "future_slack_days")
    people = standardize_people(
        with_text_dtypes(records),
        lookups,
        as_of,
        earliest_birth_date=setting(settings, "min_birth_date"),
        max_age_years=setting(settings, "max_age_years"),
    )
    for column in ("created_at", "updated_at"):
        parsed, status = standardize_timestamp_column(
            people[f"{column}_raw"], lookups, as_of, future_slack_days=slack
        )
        people[column] = parsed
        people[f"{column}_status"] = status
    return people


def standardize_orders(
    orders: pd.DataFrame, lookups: Lookups, settings: Mapping[str, object]
) -> pd.DataFrame:
    """Orders with the order date and the amount parsed, each with its status.

    `settings`: as_of_date, min_order_date, future_slack_days. The amount is null unless
    valid (crm_quality.standardize.amount states the rule); amount_raw keeps the text.
    """
    orders = with_text_dtypes(orders)
    parsed, status = standardize_date_column(
        orders["order_date_raw"],
        lookups,
        setting(settings, "as_of_date"),
        future_slack_days=setting(settings, "future_slack_days"),
        earliest=setting(settings, "min_order_date"),
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


# Each record whose phone is unverifiable (national format, no resolvable country of its
# own) with its customer's country: the valid country most of the customer's records carry,
# on a tie one a billing record carries (billing is where an address is checked), then the
# first code alphabetically so the choice is stable.
CUSTOMER_COUNTRY_SQL = """
with

unverifiable as (
    select record_key, customer_id, phone_raw
    from records
    where phone_status = 'unverifiable'
),

countries as (
    select
        customer_id,
        country,
        count(*) as record_count,
        max(case when source_system = 'billing' then 1 else 0 end) as is_in_billing
    from records
    where country_status = 'valid' and customer_id in (select customer_id from unverifiable)
    group by customer_id, country
),

ranked as (
    select
        customer_id,
        country,
        row_number() over (
            partition by customer_id
            order by record_count desc, is_in_billing desc, country asc
        ) as country_rank
    from countries
)

select
    unverifiable.record_key,
    unverifiable.customer_id,
    unverifiable.phone_raw,
    ranked.country as customer_country
from unverifiable
left join ranked
    on unverifiable.customer_id = ranked.customer_id and ranked.country_rank = 1
order by unverifiable.record_key
"""

REJUDGED_PHONE_COLUMNS = ("record_key", "customer_id", "phone_country", "phone", "phone_status")


def rejudge_phone(phone_raw: object, country: object) -> tuple[str | None, str]:
    """(E.164, status) of an unverifiable phone read for its customer's country.

    Without a country it stays 'unverifiable': left out of the phone validity check.
    """
    region = normalize_region(country)
    text = clean_text(phone_raw, default_placeholders("phone"))
    if region is None or text is None:
        return None, UNVERIFIABLE
    number, valid = e164_from_text(text, region)
    return (number, VALID) if valid else (None, INVALID)


def rejudge_unverifiable_phones(resolved: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """The unverifiable phones of int_person_records_resolved, judged for the customer's
    country (CUSTOMER_COUNTRY_SQL); one row per such record, REJUDGED_PHONE_COLUMNS."""
    found = resolved.query("records", CUSTOMER_COUNTRY_SQL).df()
    judged = [
        rejudge_phone(raw, country)
        for raw, country in zip(found["phone_raw"], found["customer_country"], strict=True)
    ]
    return pd.DataFrame(
        {
            "record_key": found["record_key"].astype("str"),
            "customer_id": found["customer_id"].astype("str"),
            "phone_country": found["customer_country"].astype("str"),
            "phone": pd.Series([number for number, _ in judged], dtype="str"),
            "phone_status": pd.Series([status for _, status in judged], dtype="str"),
        },
        columns=list(REJUDGED_PHONE_COLUMNS),
    )
