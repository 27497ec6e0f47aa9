"""Dates and timestamps in ISO, DD.MM.YYYY and YYYY/MM/DD, with and without times; M/D/YYYY
and D/M/YYYY (12-hour clock allowed) only in the order a source declares."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import parse_date, parse_timestamp


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-03-15", date(2023, 3, 15)),
        ("15.03.2023", date(2023, 3, 15)),
        ("2023/03/15", date(2023, 3, 15)),
        ("5.3.2023", date(2023, 3, 5)),
        ("2023-3-5", date(2023, 3, 5)),
        (" 2023-03-15 ", date(2023, 3, 15)),
        ("2023-03-15 10:30:00", date(2023, 3, 15)),
        ("2023-03-15T23:30:00+05:00", date(2023, 3, 15)),  # the written date, not shifted
        ("15.03.2023 10:30", date(2023, 3, 15)),
        ("2024-02-29", date(2024, 2, 29)),
        ("２０２３-０３-１５", date(2023, 3, 15)),  # full-width digits
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2023-02-30",
        "2023-02-29",
        "31.04.2023",
        "2023/13/01",
        "00.01.2023",
        "2023-00-10",
        "2023-03-15 25:00:00",
        "03/15/2023",  # ambiguous US/European slash form
        "15-03-2023",
        "20230315",
        "March 15, 2023",
        "yesterday",
        "N/A",
        "",
        None,
    ],
)
def test_parse_date_refuses(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-03-15 10:30:00", datetime(2023, 3, 15, 10, 30)),
        ("2023-03-15T10:30:00", datetime(2023, 3, 15, 10, 30)),
        ("2023-03-15T10:30:00.250", datetime(2023, 3, 15, 10, 30, 0, 250000)),
        ("2023-03-15T10:30:00Z", datetime(2023, 3, 15, 10, 30)),
        ("2023-03-15T10:30:00+02:00", datetime(2023, 3, 15, 8, 30)),
        ("2023-03-15T01:30:00+0200", datetime(2023, 3, 14, 23, 30)),
        ("2023-03-15 10:30", datetime(2023, 3, 15, 10, 30)),
        ("15.03.2023 10:30:05", datetime(2023, 3, 15, 10, 30, 5)),
        ("2023/03/15 10:30:05", datetime(2023, 3, 15, 10, 30, 5)),
        ("2023-03-15", datetime(2023, 3, 15)),
    ],
)
def test_parse_timestamp(raw, expected):
    assert parse_timestamp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["2023-02-30 10:00:00", "2023-03-15 24:00:00", "2023-03-15 10:61", "2023-03-15T", "null"],
)
def test_parse_timestamp_refuses(raw):
    assert parse_timestamp(raw) is None


_DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(_DATES, st.sampled_from(["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"]), st.booleans())
def test_parse_date_round_trips_every_format(day, fmt, with_time):
    text = day.strftime(fmt) + (" 12:34:56" if with_time else "")
    assert parse_date(text) == day


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_parse_timestamp_round_trips_iso(moment):
    assert parse_timestamp(moment.isoformat()) == moment
    assert parse_timestamp(moment.isoformat(sep=" ")) == moment


# --- slashed day-and-month dates, read in a declared order ----------------------------------


@pytest.mark.parametrize(
    ("raw", "date_order", "expected"),
    [
        ("6/22/1961", "month_first", date(1961, 6, 22)),  # a US Salesforce report's Birthdate
        ("06/22/1961", "month_first", date(1961, 6, 22)),
        ("22/6/1961", "day_first", date(1961, 6, 22)),
        ("22/06/1961", "day_first", date(1961, 6, 22)),
        ("3/4/2023", "month_first", date(2023, 3, 4)),  # ambiguous: the declared order decides
        ("3/4/2023", "day_first", date(2023, 4, 3)),
        ("2/29/2024", "month_first", date(2024, 2, 29)),
        ("12/31/2025 2:45 PM", "month_first", date(2025, 12, 31)),
        ("31/12/2025 14:45", "day_first", date(2025, 12, 31)),
        # The unambiguous forms read as without an order.
        ("2023-03-15", "month_first", date(2023, 3, 15)),
        ("15.03.2023", "month_first", date(2023, 3, 15)),
        ("2023/03/15", "day_first", date(2023, 3, 15)),
    ],
)
def test_parse_date_in_the_declared_order(raw, date_order, expected):
    assert parse_date(raw, date_order) == expected


@pytest.mark.parametrize(
    ("raw", "date_order"),
    [
        ("6/22/1961", None),  # no order declared: ambiguous, refused as before
        ("3/4/2023", None),
        ("12/31/2025 2:45 PM", None),
        ("2/30/2020", "month_first"),  # impossible dates
        ("30/2/2020", "day_first"),
        ("2/29/2023", "month_first"),
        ("4/31/2023", "month_first"),
        ("0/10/2023", "month_first"),
        ("10/0/2023", "month_first"),
        ("22/6/1961", "month_first"),  # month 22
        ("6/22/1961", "day_first"),
        ("6/22/61", "month_first"),  # two-digit years stay refused
        ("6-22-1961", "month_first"),
        ("123/4/2023", "month_first"),
        ("12/31/2025 13:00 PM", "month_first"),  # a 12-hour clock has no hour 13 …
        ("12/31/2025 0:30 AM", "month_first"),  # … nor 0
        ("12/31/2025 2:60 PM", "month_first"),
        ("2023-03-15 10:30 PM", "month_first"),  # AM/PM only after M/D/YYYY and D/M/YYYY
        ("12/6/2026 , 9:14 AM", "month_first"),  # the comma follows the date
        ("12/6/2026,, 9:14 AM", "month_first"),
        ("12/6/2026,", "month_first"),
        ("12/6/2026, ", "month_first"),
    ],
)
def test_parse_date_refuses_in_a_declared_order(raw, date_order):
    assert parse_date(raw, date_order) is None
    assert parse_timestamp(raw, date_order) is None


@pytest.mark.parametrize(
    ("raw", "date_order", "expected"),
    [
        ("12/6/2026 3:45 PM", "month_first", datetime(2026, 12, 6, 15, 45)),
        ("12/6/2026 3:45 PM", "day_first", datetime(2026, 6, 12, 15, 45)),
        ("12/31/2025 12:45 AM", "month_first", datetime(2025, 12, 31, 0, 45)),  # 12 AM: hour 0
        ("12/31/2025 12:45 PM", "month_first", datetime(2025, 12, 31, 12, 45)),  # 12 PM: noon
        ("12/31/2025 11:59:59 PM", "month_first", datetime(2025, 12, 31, 23, 59, 59)),
        ("12/31/2025 2:45:30 pm", "month_first", datetime(2025, 12, 31, 14, 45, 30)),
        ("12/31/2025 2:45PM", "month_first", datetime(2025, 12, 31, 14, 45)),
        ("12/31/2025 1:05 am", "month_first", datetime(2025, 12, 31, 1, 5)),
        ("12/31/2025 14:45", "month_first", datetime(2025, 12, 31, 14, 45)),  # 24-hour clock
        ("31/12/2025 14:45:10", "day_first", datetime(2025, 12, 31, 14, 45, 10)),
        ("12/31/2025 11:30 PM +02:00", "month_first", datetime(2025, 12, 31, 21, 30)),
        ("12/31/2025", "month_first", datetime(2025, 12, 31)),
        # ICU locale formats (Salesforce orgs since Winter '20) put a comma before the time.
        ("12/6/2026, 9:14 AM", "month_first", datetime(2026, 12, 6, 9, 14)),
        ("6/12/2026, 21:14", "day_first", datetime(2026, 12, 6, 21, 14)),
        ("12/6/2026,9:14 PM", "month_first", datetime(2026, 12, 6, 21, 14)),
        ("2026-12-06, 09:14", None, datetime(2026, 12, 6, 9, 14)),
        ("06.12.2026, 09:14:30", None, datetime(2026, 12, 6, 9, 14, 30)),
    ],
)
def test_parse_timestamp_in_the_declared_order(raw, date_order, expected):
    assert parse_timestamp(raw, date_order) == expected


def test_an_unknown_date_order_is_an_error():
    with pytest.raises(ValueError, match="day_first, month_first"):
        parse_date("3/4/2023", "us")


def _twelve_hour(moment: datetime) -> str:
    """h:mm:ss AM/PM, as US locales write it (not strftime's %p, which follows the locale)."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


@given(_DATES, st.sampled_from(["month_first", "day_first"]), st.booleans(), st.booleans())
def test_parse_date_round_trips_slashed_dates(day, date_order, padded, with_time):
    month, day_of_month = (f"{day.month:02}", f"{day.day:02}") if padded else (day.month, day.day)
    first, second = (month, day_of_month) if date_order == "month_first" else (day_of_month, month)
    text = f"{first}/{second}/{day.year}" + (" 2:45 PM" if with_time else "")
    assert parse_date(text, date_order) == day


@given(_DATES, st.times().map(lambda moment: moment.replace(microsecond=0)))
def test_parse_timestamp_round_trips_the_twelve_hour_clock(day, clock: time):
    moment = datetime.combine(day, clock)
    text = f"{day.month}/{day.day}/{day.year} {_twelve_hour(moment)}"
    assert parse_timestamp(text, "month_first") == moment
