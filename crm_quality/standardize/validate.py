"""Plausibility rules that turn a parsed value into a field status.

Every standardized field carries one of three statuses so the warehouse can count
completeness (missing) and validity (invalid) separately; a phone can carry a fourth,
'unverifiable'.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

VALID = "valid"
MISSING = "missing"
INVALID = "invalid"
# A national-format phone on a record without a resolvable country: it cannot be judged
# until the customer's country is known (int_phones_rejudged), so it is neither.
UNVERIFIABLE = "unverifiable"

# Defaults for callers without dbt; the warehouse passes the dbt vars of the same names
# (min_birth_date, max_age_years, min_order_date, future_slack_days), and a test keeps
# these equal to the vars' defaults in dbt_project.yml.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_AGE_YEARS = 120
EARLIEST_ORDER_DATE = date(1900, 1, 1)
# Records are stamped in local time by systems ahead of the warehouse's clock; this many
# days of slack keep them from being flagged as "in the future".
FUTURE_SLACK_DAYS = 1


def age_on(birth_date: date, as_of: date) -> int:
    """Whole years between `birth_date` and `as_of` (birthday counted on the day)."""
    before_birthday = (as_of.month, as_of.day) < (birth_date.month, birth_date.day)
    return as_of.year - birth_date.year - before_birthday


def _as_date(value: date) -> date:
    # datetime is a subclass of date but does not compare with one; reduce to the day.
    return value.date() if isinstance(value, datetime) else value


def birth_date_status(
    cleaned_raw: str | None,
    parsed: date | None,
    as_of: date,
    *,
    earliest: date = EARLIEST_BIRTH_DATE,
    max_age_years: int = MAX_AGE_YEARS,
) -> str:
    """'missing' without a value; 'invalid' if unparseable, in the future, before `earliest`
    (1900-01-01) or implying an age over `max_age_years` (120); else 'valid'."""
    if cleaned_raw is None:
        return MISSING
    if parsed is not None:
        parsed, as_of = _as_date(parsed), _as_date(as_of)
    if parsed is None or parsed > as_of or parsed < earliest:
        return INVALID
    if age_on(parsed, as_of) > max_age_years:
        return INVALID
    return VALID


def timestamp_status(
    cleaned_raw: str | None,
    parsed: date | datetime | None,
    as_of: date,
    *,
    future_slack_days: int = FUTURE_SLACK_DAYS,
    earliest: date | None = None,
) -> str:
    """'missing' without a value; 'invalid' if unparseable, dated after as_of +
    `future_slack_days` (1) or, when given, before `earliest`; else 'valid'."""
    if cleaned_raw is None:
        return MISSING
    if parsed is None:
        return INVALID
    day = _as_date(parsed)
    if day > _as_date(as_of) + timedelta(days=future_slack_days):
        return INVALID
    if earliest is not None and day < earliest:
        return INVALID
    return VALID
