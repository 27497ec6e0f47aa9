"""Dates and timestamps in ISO, DD.MM.YYYY and YYYY/MM/DD, with and without times."""

from __future__ import annotations

from datetime import date, datetime

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
