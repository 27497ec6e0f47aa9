"""Standardizers and validators for CRM person data.

Pure scalar functions (one field value in, standardized value out) and DataFrame wrappers
that apply them once per distinct value. The dbt Python models call the wrappers; the
scalar functions are what the unit tests pin down.
"""

from crm_quality.standardize.country import load_country_aliases, resolve_country
from crm_quality.standardize.dates import DATE_ORDERS, parse_date, parse_timestamp
from crm_quality.standardize.email import (
    email_domain,
    is_disposable_domain,
    is_valid_email,
    standardize_email,
)
from crm_quality.standardize.frame import (
    PERSON_FIELD_TYPES,
    PERSON_INPUT_COLUMNS,
    PERSON_OUTPUT_COLUMNS,
    Lookups,
    standardize_date_column,
    standardize_people,
    standardize_timestamp_column,
)
from crm_quality.standardize.names import name_key, standardize_name, standardize_place
from crm_quality.standardize.phone import standardize_phone
from crm_quality.standardize.text import (
    DEFAULT_PLACEHOLDERS,
    clean_text,
    default_placeholders,
    normalize_key,
)
from crm_quality.standardize.validate import (
    INVALID,
    MISSING,
    VALID,
    birth_date_status,
    timestamp_status,
)

__all__ = [
    "DATE_ORDERS",
    "DEFAULT_PLACEHOLDERS",
    "INVALID",
    "MISSING",
    "PERSON_FIELD_TYPES",
    "PERSON_INPUT_COLUMNS",
    "PERSON_OUTPUT_COLUMNS",
    "VALID",
    "Lookups",
    "birth_date_status",
    "clean_text",
    "default_placeholders",
    "email_domain",
    "is_disposable_domain",
    "is_valid_email",
    "load_country_aliases",
    "name_key",
    "normalize_key",
    "parse_date",
    "parse_timestamp",
    "resolve_country",
    "standardize_date_column",
    "standardize_email",
    "standardize_name",
    "standardize_people",
    "standardize_phone",
    "standardize_place",
    "standardize_timestamp_column",
    "timestamp_status",
]
