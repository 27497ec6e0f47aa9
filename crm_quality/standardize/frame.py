"""Standardize whole DataFrames of person records with the scalar functions.

CRM columns repeat heavily (first names, cities, countries, birth dates), so each scalar
function runs once per distinct raw value and the results are spread back over the rows by
position. Text results are pandas `str` columns (missing values are NA, never the string
'nan'): DuckDB always reads them as VARCHAR, even when every value is missing.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from crm_quality.standardize.country import resolve_country
from crm_quality.standardize.dates import parse_date, parse_timestamp
from crm_quality.standardize.email import is_disposable_domain, is_valid_email, standardize_email
from crm_quality.standardize.names import name_key, standardize_name, standardize_place
from crm_quality.standardize.phone import e164_batch, national_digits, normalize_region
from crm_quality.standardize.text import (
    DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE,
    PLACEHOLDER_FIELD_TYPES,
    clean_text,
    is_missing,
    normalize_key,
)
from crm_quality.standardize.validate import (
    EARLIEST_BIRTH_DATE,
    FUTURE_SLACK_DAYS,
    INVALID,
    MAX_AGE_YEARS,
    MISSING,
    UNVERIFIABLE,
    VALID,
    birth_date_status,
    timestamp_status,
)

PERSON_INPUT_COLUMNS: tuple[str, ...] = (
    "first_name_raw",
    "last_name_raw",
    "email_raw",
    "phone_raw",
    "street_address_raw",
    "city_raw",
    "postal_code_raw",
    "country_raw",
    "birth_date_raw",
)

# Added by standardize_people, in this order.
PERSON_OUTPUT_COLUMNS: tuple[str, ...] = (
    "first_name",
    "first_name_key",
    "first_name_status",
    "last_name",
    "last_name_key",
    "last_name_status",
    "email",
    "email_domain",
    "is_disposable_email",
    "email_status",
    "phone",
    "phone_key",
    "phone_status",
    "street_address",
    "street_address_status",
    "city",
    "city_status",
    "postal_code",
    "postal_code_status",
    "country",
    "country_status",
    "birth_date",
    "birth_date_status",
)

# The placeholder field type (seeds/placeholder_values.csv) of each person field.
PERSON_FIELD_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "first_name": "name",
        "last_name": "name",
        "email": "email",
        "phone": "phone",
        "street_address": "address",
        "city": "address",
        "postal_code": "address",
        "country": "country",
        "birth_date": "date",
    }
)

DATE_DTYPE = "datetime64[s]"
_NAT = np.datetime64("NaT")

_SEED_FILES = {
    "placeholders": "placeholder_values.csv",
    "country_aliases": "country_aliases.csv",
    "nicknames": "nicknames.csv",
    "disposable_domains": "disposable_email_domains.csv",
}


@dataclass(frozen=True)
class Lookups:
    """The reference seeds the standardizers consult, in lookup-ready form."""

    placeholders_by_field_type: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType(DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE), repr=False
    )
    country_aliases: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    nicknames: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    disposable_domains: frozenset[str] = frozenset()

    @classmethod
    def from_seed_dir(cls, path: str | Path) -> Lookups:
        """Load the seed CSVs of a dbt project's seeds/ folder.

        Every cell is read as text and nothing is taken for a null, so Namibia's 'NA' and
        the placeholder 'none' survive.
        """
        folder = Path(path)
        frames = {}
        for name, filename in _SEED_FILES.items():
            with (folder / filename).open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = list(reader)
                frames[name] = pd.DataFrame(rows, columns=reader.fieldnames, dtype=object)
        return cls.from_frames(**frames)

    @classmethod
    def from_frames(
        cls,
        placeholders: pd.DataFrame,
        country_aliases: pd.DataFrame,
        nicknames: pd.DataFrame,
        disposable_domains: pd.DataFrame,
    ) -> Lookups:
        """Build from the seed tables (e.g. `dbt.ref(...).df()` in a dbt Python model).

        Keys are normalized again on the way in, so a hand-edited seed still matches what
        the standardizers look up; null cells (a database may load '' as null) are skipped.
        """
        aliases = _pairs(country_aliases, "alias", "country_code")
        nickname_pairs = _pairs(nicknames, "nickname", "canonical_name")
        return cls(
            placeholders_by_field_type=_placeholders_by_field_type(placeholders),
            country_aliases=MappingProxyType(
                {normalize_key(alias): code.strip().upper() for alias, code in aliases}
            ),
            nicknames=MappingProxyType(
                {
                    name_key(nickname): name_key(canonical)
                    for nickname, canonical in nickname_pairs
                    if name_key(nickname) and name_key(canonical)
                }
            ),
            disposable_domains=frozenset(
                str(value).strip().lower() for value in _values(disposable_domains, "domain")
            ),
        )

    def placeholders(self, field_type: str) -> frozenset[str]:
        """The placeholders of one field type ('name', 'email', …; see PLACEHOLDER_FIELD_TYPES)."""
        return self.placeholders_by_field_type[field_type]


def _placeholders_by_field_type(frame: pd.DataFrame) -> Mapping[str, frozenset[str]]:
    """Field type → its placeholders, the seed's 'any' rows included in every type."""
    found: dict[str, set[str]] = {"any": set()} | {kind: set() for kind in PLACEHOLDER_FIELD_TYPES}
    for value, field_type in _pairs(frame, "value", "field_type"):
        kind = field_type.strip().lower()
        if kind not in found:
            raise ValueError(
                f"placeholder {value!r} has field_type {field_type!r}; "
                f"expected 'any' or one of {PLACEHOLDER_FIELD_TYPES}"
            )
        found[kind].add(value.strip().casefold())
    return MappingProxyType(
        {kind: frozenset(found["any"] | found[kind]) for kind in PLACEHOLDER_FIELD_TYPES}
    )


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        raise ValueError(f"seed table lacks column {column!r}; it has {list(frame.columns)}")
    return [str(value) for value in frame[column].tolist() if not is_missing(value)]


def _pairs(frame: pd.DataFrame, key: str, value: str) -> list[tuple[str, str]]:
    for column in (key, value):
        if column not in frame.columns:
            raise ValueError(f"seed table lacks column {column!r}; it has {list(frame.columns)}")
    return [
        (str(left), str(right))
        for left, right in zip(frame[key].tolist(), frame[value].tolist(), strict=True)
        if not is_missing(left) and not is_missing(right)
    ]


# --- spreading per-distinct-value results back over the rows --------------------------


def _distinct(series: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Codes into the distinct values; missing values get code -1."""
    # Hashing Python objects beats factorizing Arrow-backed strings and turning the
    # uniques back into Python strings.
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    return codes, uniques.tolist()


def _spread(per_distinct: list[object], missing: object, codes: np.ndarray) -> np.ndarray:
    """Row values from one result per distinct value; code -1 takes `missing`."""
    table = np.empty(len(per_distinct) + 1, dtype=object)
    table[: len(per_distinct)] = per_distinct
    table[-1] = missing
    return table[codes]


def _text(values: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index, dtype="str")


def _map_distinct(
    series: pd.Series, function: Callable[[object], tuple[object, ...]], width: int
) -> list[np.ndarray]:
    """Apply `function` once per distinct value of `series`; one row array per output."""
    codes, uniques = _distinct(series)
    results = [function(value) for value in uniques]
    at_missing = function(None)
    return [
        _spread([result[position] for result in results], at_missing[position], codes)
        for position in range(width)
    ]


# A date order (crm_quality.standardize.dates.DATE_ORDERS, None for the default) for every
# row, or one per row: a Series on the values' index (per source, as sources.yml declares).
DateOrder = str | pd.Series | None


def _map_distinct_ordered(
    series: pd.Series,
    date_order: DateOrder,
    function: Callable[[object, str | None], tuple[object, ...]],
    width: int,
) -> list[np.ndarray]:
    """_map_distinct of `function(value, order)`, once per distinct (value, date order) pair:
    one text is two dates in sources that declare different orders."""
    if not isinstance(date_order, pd.Series):
        return _map_distinct(series, lambda value: function(value, date_order), width)
    value_codes, values = _distinct(series)
    order_codes, order_uniques = pd.factorize(date_order.to_numpy(dtype=object))
    orders: list[str | None] = [*order_uniques.tolist(), None]  # code -1 (no order) picks None
    span = len(orders)
    pair_codes, pairs = pd.factorize(
        value_codes.astype(np.int64) * span + np.where(order_codes < 0, span - 1, order_codes)
    )
    results = []
    for pair in pairs.tolist():
        value_index, order_index = divmod(pair, span)  # value_index -1: no value at all
        value = values[value_index] if value_index >= 0 else None
        results.append(function(value, orders[order_index]))
    return [
        _spread([result[position] for result in results], None, pair_codes)
        for position in range(width)
    ]


def _as_date(as_of: date) -> date:
    return as_of.date() if isinstance(as_of, datetime) else as_of


# --- per-field rules --------------------------------------------------------------------


def _name_fields(
    value: object, lookups: Lookups, nicknames: Mapping[str, str] | None
) -> tuple[str | None, str | None, str]:
    name = standardize_name(value, lookups.placeholders("name"))
    if name is None:
        return None, None, MISSING
    return name, name_key(name, nicknames), VALID


def _email_fields(value: object, lookups: Lookups) -> tuple[str | None, str | None, bool, str]:
    email = standardize_email(value, lookups.placeholders("email"))
    if email is None:
        return None, None, False, MISSING
    if not is_valid_email(email):
        return None, None, False, INVALID
    domain = email.rpartition("@")[2]
    return email, domain, is_disposable_domain(domain, lookups.disposable_domains), VALID


def _text_fields(cleaned: str | None) -> tuple[str | None, str]:
    return (None, MISSING) if cleaned is None else (cleaned, VALID)


def _postal_code(value: object, lookups: Lookups) -> tuple[str | None, str]:
    cleaned = clean_text(value, lookups.placeholders("address"))
    if cleaned is None:
        return None, MISSING
    # NFKC turns full-width digits from Japanese systems into ASCII; clean_text has already
    # reduced inner whitespace to single spaces.
    return unicodedata.normalize("NFKC", cleaned).upper(), VALID


def _country_fields(value: object, lookups: Lookups) -> tuple[str | None, str]:
    if clean_text(value, lookups.placeholders("country")) is None:
        return None, MISSING
    code = resolve_country(value, lookups.country_aliases, lookups.placeholders("country"))
    return (code, VALID) if code is not None else (None, INVALID)


def _birth_date_fields(
    value: object,
    lookups: Lookups,
    as_of: date,
    earliest: date,
    max_age_years: int,
    date_order: str | None = None,
) -> tuple[object, str]:
    cleaned = clean_text(value, lookups.placeholders("date"))
    parsed = parse_date(cleaned, date_order)
    status = birth_date_status(
        cleaned, parsed, as_of, earliest=earliest, max_age_years=max_age_years
    )
    return (np.datetime64(parsed, "s") if status == VALID else _NAT), status


def _phone_columns(
    phone_raw: pd.Series, country: np.ndarray, lookups: Lookups
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """E.164 numbers, matching keys and statuses; each row's resolved country is its
    parsing region.

    Distinct (raw phone, region) pairs are parsed once: the same national number means
    different things in different countries. A national number without a region is
    'unverifiable'; its key is its digits, so two records writing it alike still meet.
    """
    phone_codes, phones = _distinct(phone_raw)
    region_codes, regions = pd.factorize(pd.Series(country, dtype=object), use_na_sentinel=True)
    region_list: list[str | None] = [*regions, None]  # code -1 (no country) picks None
    width = len(region_list)
    pair_codes, pairs = pd.factorize(
        phone_codes.astype(np.int64) * width + np.where(region_codes < 0, width - 1, region_codes)
    )
    cleaned = [clean_text(phone, lookups.placeholders("phone")) for phone in phones]
    regions_normalized = [normalize_region(region) for region in region_list]
    todo: list[tuple[str, str | None]] = []
    todo_at: list[int] = []
    statuses: list[str] = [MISSING] * len(pairs)
    for position, pair in enumerate(pairs.tolist()):
        phone_index, region_index = divmod(pair, width)  # phone_index -1: no phone at all
        text = cleaned[phone_index] if phone_index >= 0 else None
        if text is not None:
            todo.append((text, regions_normalized[region_index]))
            todo_at.append(position)
    numbers: list[str | None] = [None] * len(pairs)
    keys: list[str | None] = [None] * len(pairs)
    parse: list[tuple[str, str | None]] = []
    parse_at: list[int] = []
    for position, (text, region) in zip(todo_at, todo, strict=True):
        digits = national_digits(text) if region is None else None
        if digits is not None:
            keys[position], statuses[position] = digits, UNVERIFIABLE
        else:
            parse.append((text, region))
            parse_at.append(position)
    for position, (number, valid) in zip(parse_at, e164_batch(parse), strict=True):
        numbers[position] = keys[position] = number
        statuses[position] = VALID if valid else INVALID
    return (
        _spread(numbers, None, pair_codes),
        _spread(keys, None, pair_codes),
        _spread(statuses, MISSING, pair_codes),
    )


# --- public frame functions -------------------------------------------------------------


def standardize_people(
    df: pd.DataFrame,
    lookups: Lookups,
    as_of: date,
    *,
    earliest_birth_date: date = EARLIEST_BIRTH_DATE,
    max_age_years: int = MAX_AGE_YEARS,
    date_order: DateOrder = None,
) -> pd.DataFrame:
    """Person records with standardized values and a status per field.

    Adds PERSON_OUTPUT_COLUMNS after the input columns (which pass through unchanged, as do
    the index and row order). A standardized value is NA unless its status is 'valid'.
    phone_key is what matching compares: the E.164 number, or the digits of an
    'unverifiable' national number (one without a resolvable country).
    The birth-date limits default to the dbt vars' defaults (min_birth_date, max_age_years);
    `date_order` reads slashed day-and-month birth dates (for all rows, or per row).
    """
    missing_columns = [column for column in PERSON_INPUT_COLUMNS if column not in df.columns]
    if missing_columns:
        raise ValueError(f"person records lack columns {missing_columns}")
    as_of = _as_date(as_of)
    index = df.index
    out: dict[str, pd.Series] = {}

    for field_name, nicknames in (("first_name", lookups.nicknames), ("last_name", None)):
        name, key, status = _map_distinct(
            df[f"{field_name}_raw"],
            lambda value, nicknames=nicknames: _name_fields(value, lookups, nicknames),
            3,
        )
        out[field_name] = _text(name, index)
        out[f"{field_name}_key"] = _text(key, index)
        out[f"{field_name}_status"] = _text(status, index)

    email, domain, disposable, status = _map_distinct(
        df["email_raw"], lambda value: _email_fields(value, lookups), 4
    )
    out["email"] = _text(email, index)
    out["email_domain"] = _text(domain, index)
    out["is_disposable_email"] = pd.Series(disposable.astype(bool), index=index)
    out["email_status"] = _text(status, index)

    country, country_status = _map_distinct(
        df["country_raw"], lambda value: _country_fields(value, lookups), 2
    )
    phone, phone_key, phone_status = _phone_columns(df["phone_raw"], country, lookups)
    out["phone"] = _text(phone, index)
    out["phone_key"] = _text(phone_key, index)
    out["phone_status"] = _text(phone_status, index)

    street, status = _map_distinct(
        df["street_address_raw"],
        lambda value: _text_fields(clean_text(value, lookups.placeholders("address"))),
        2,
    )
    out["street_address"] = _text(street, index)
    out["street_address_status"] = _text(status, index)

    city, status = _map_distinct(
        df["city_raw"],
        lambda value: _text_fields(standardize_place(value, lookups.placeholders("address"))),
        2,
    )
    out["city"] = _text(city, index)
    out["city_status"] = _text(status, index)

    postal, status = _map_distinct(
        df["postal_code_raw"], lambda value: _postal_code(value, lookups), 2
    )
    out["postal_code"] = _text(postal, index)
    out["postal_code_status"] = _text(status, index)

    out["country"] = _text(country, index)
    out["country_status"] = _text(country_status, index)

    birth_date, status = _map_distinct_ordered(
        df["birth_date_raw"],
        date_order,
        lambda value, order: _birth_date_fields(
            value, lookups, as_of, earliest_birth_date, max_age_years, order
        ),
        2,
    )
    out["birth_date"] = pd.Series(birth_date.astype(DATE_DTYPE), index=index)
    out["birth_date_status"] = _text(status, index)

    added = pd.DataFrame({column: out[column] for column in PERSON_OUTPUT_COLUMNS}, index=index)
    kept = df.drop(columns=[column for column in PERSON_OUTPUT_COLUMNS if column in df.columns])
    return pd.concat([kept, added], axis=1)


def _temporal_column(
    series: pd.Series,
    lookups: Lookups,
    as_of: date,
    parse: Callable[[str | None, str | None], date | datetime | None],
    unit: str,
    future_slack_days: int,
    earliest: date | None = None,
    date_order: DateOrder = None,
) -> tuple[pd.Series, pd.Series]:
    as_of = _as_date(as_of)

    def fields(value: object, order: str | None) -> tuple[object, str]:
        cleaned = clean_text(value, lookups.placeholders("date"))
        parsed = parse(cleaned, order)
        status = timestamp_status(
            cleaned, parsed, as_of, future_slack_days=future_slack_days, earliest=earliest
        )
        if status != VALID or parsed is None:
            return _NAT, status
        return np.datetime64(parsed, unit), status

    parsed, status = _map_distinct_ordered(series, date_order, fields, 2)
    return (
        pd.Series(parsed.astype(f"datetime64[{unit}]"), index=series.index, name=series.name),
        _text(status, series.index).rename(series.name),
    )


def standardize_timestamp_column(
    series: pd.Series,
    lookups: Lookups,
    as_of: date,
    *,
    future_slack_days: int = FUTURE_SLACK_DAYS,
    date_order: DateOrder = None,
) -> tuple[pd.Series, pd.Series]:
    """(parsed datetime64[us], status) for a raw timestamp column.

    'invalid' when unparseable or dated after as_of + `future_slack_days`; the value is NaT
    unless valid. `date_order` reads slashed day-and-month dates (for all rows, or per row).
    """
    return _temporal_column(
        series, lookups, as_of, parse_timestamp, "us", future_slack_days, date_order=date_order
    )


def standardize_date_column(
    series: pd.Series,
    lookups: Lookups,
    as_of: date,
    *,
    future_slack_days: int = FUTURE_SLACK_DAYS,
    earliest: date | None = None,
    date_order: DateOrder = None,
) -> tuple[pd.Series, pd.Series]:
    """(parsed datetime64[s] at midnight, status) for a raw date column; rules as for
    timestamps, and 'invalid' before `earliest` when given."""
    return _temporal_column(
        series, lookups, as_of, parse_date, "s", future_slack_days, earliest, date_order
    )
