"""Status rules for birth dates and record timestamps."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_quality.standardize import INVALID, MISSING, VALID, birth_date_status, timestamp_status
from crm_quality.standardize.validate import age_on

AS_OF = date(2024, 6, 1)


def test_status_values():
    assert (VALID, MISSING, INVALID) == ("valid", "missing", "invalid")


@pytest.mark.parametrize(
    ("cleaned", "parsed", "as_of", "expected"),
    [
        (None, None, AS_OF, MISSING),
        ("soon", None, AS_OF, INVALID),
        ("1980-02-01", date(1980, 2, 1), AS_OF, VALID),
        ("2024-06-01", date(2024, 6, 1), AS_OF, VALID),  # born today
        ("2024-06-02", date(2024, 6, 2), AS_OF, INVALID),  # in the future
        ("1904-06-01", date(1904, 6, 1), AS_OF, VALID),  # exactly 120
        ("1904-05-31", date(1904, 5, 31), AS_OF, VALID),  # 120, birthday passed
        ("1904-06-02", date(1904, 6, 2), date(2025, 6, 1), VALID),  # 121 only tomorrow
        ("1903-06-01", date(1903, 6, 1), AS_OF, INVALID),  # 121
        ("1900-01-01", date(1900, 1, 1), date(2000, 1, 1), VALID),
        ("1899-12-31", date(1899, 12, 31), date(2000, 1, 1), INVALID),  # before 1900
    ],
)
def test_birth_date_status(cleaned, parsed, as_of, expected):
    assert birth_date_status(cleaned, parsed, as_of) == expected


def test_age_on_counts_the_birthday_itself():
    assert age_on(date(2000, 6, 1), date(2024, 5, 31)) == 23
    assert age_on(date(2000, 6, 1), date(2024, 6, 1)) == 24
    assert age_on(date(2000, 2, 29), date(2023, 2, 28)) == 22
    assert age_on(date(2000, 2, 29), date(2023, 3, 1)) == 23


@pytest.mark.parametrize(
    ("cleaned", "parsed", "expected"),
    [
        (None, None, MISSING),
        ("later", None, INVALID),
        ("2024-06-01 09:00", datetime(2024, 6, 1, 9), VALID),
        ("2024-06-02 23:59", datetime(2024, 6, 2, 23, 59), VALID),  # one day of slack
        ("2024-06-03 00:00", datetime(2024, 6, 3), INVALID),
        ("1999-01-01", date(1999, 1, 1), VALID),
        ("2024-06-03", date(2024, 6, 3), INVALID),
    ],
)
def test_timestamp_status(cleaned, parsed, expected):
    assert timestamp_status(cleaned, parsed, AS_OF) == expected


def test_as_of_may_be_a_datetime():
    assert timestamp_status("x", datetime(2024, 6, 2, 12), datetime(2024, 6, 1, 8)) == VALID
    assert birth_date_status("x", date(2024, 6, 2), datetime(2024, 6, 1, 8)) == INVALID


def test_birth_date_limits_can_be_tuned():
    born = date(1920, 1, 1)
    assert birth_date_status("x", born, AS_OF) == VALID
    assert birth_date_status("x", born, AS_OF, max_age_years=100) == INVALID
    assert birth_date_status("x", born, AS_OF, earliest=date(1930, 1, 1)) == INVALID
