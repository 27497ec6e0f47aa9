"""Dates and timestamps in the formats CRM exports actually use.

Accepted: ISO 'YYYY-MM-DD', German/European 'DD.MM.YYYY' and 'YYYY/MM/DD', each optionally
followed by a time ('HH:MM', 'HH:MM:SS', fractions, 'T', space or comma separated, 'Z' or an
offset; ICU locales, as in Salesforce's exports, write '12/6/2026, 9:14 AM'). Slashed
day-and-month forms such as '03/04/2023' are ambiguous: refused unless the source declares its
`date_order` (sources.yml): 'month_first' reads them as M/D/YYYY (US Salesforce reports, Excel
in the US locale), 'day_first' as D/M/YYYY. Their time may be on a 12-hour clock ('2:45 PM',
'12:05:30 am').
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from crm_quality.standardize.text import clean_text

# A source's declared reading of slashed day-and-month dates (sources.yml `date_order`);
# None, the default, reads none of them.
DATE_ORDERS: tuple[str, ...] = ("day_first", "month_first")


def _clock(meridiem: str = "") -> str:
    return (
        r"(?:(?:[T ]|,)\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
        r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
        rf"{meridiem}\s*(?P<tz>Z|[+-]\d{{2}}(?::?\d{{2}})?)?)?"
    )


_TIME = _clock()
_FORMATS = (
    re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_TIME}", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}){_TIME}", re.I),
    re.compile(rf"(?P<year>\d{{4}})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}}){_TIME}", re.I),
)
# M/D/YYYY or D/M/YYYY, read by the declared order; the time may end in AM or PM.
_ORDERED = re.compile(
    r"(?P<leading>\d{1,2})/(?P<trailing>\d{1,2})/(?P<year>\d{4})"
    + _clock(r"(?:\s*(?P<meridiem>[AP]M))?"),
    re.I,
)


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def _matched(text: str, date_order: str | None) -> tuple[int, int, int, re.Match[str]] | None:
    """(year, month, day, match) of the first format the text is in, or None."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)} or None")
    for pattern in _FORMATS:
        match = pattern.fullmatch(text)
        if match is not None:
            return int(match["year"]), int(match["month"]), int(match["day"]), match
    match = _ORDERED.fullmatch(text) if date_order is not None else None
    if match is None:
        return None
    leading, trailing = int(match["leading"]), int(match["trailing"])
    month, day = (leading, trailing) if date_order == "month_first" else (trailing, leading)
    return int(match["year"]), month, day, match


def _hour(match: re.Match[str]) -> int | None:
    """The hour on the 24-hour clock; None for an impossible 12-hour one (0:30 AM, 13:00 PM).
    12 AM is midnight, 12 PM noon."""
    hour = int(match["hour"] or 0)
    meridiem = match.groupdict().get("meridiem")
    if meridiem is None:
        return hour
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if meridiem.upper() == "PM" else 0)


def parse_timestamp(value: object, date_order: str | None = None) -> datetime | None:
    """Naive datetime, or None when the text is not a real date and time.

    A date alone means midnight. A given offset is applied and the result expressed in
    UTC, so timestamps from systems in different zones compare correctly. `date_order`
    ('day_first', 'month_first' or None) reads slashed day-and-month dates (DATE_ORDERS).
    """
    text = clean_text(value)
    if text is None:
        return None
    matched = _matched(text, date_order)
    if matched is None:
        return None
    year, month, day, match = matched
    hour = _hour(match)
    if hour is None:
        return None
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    try:
        parsed = datetime(
            year,
            month,
            day,
            hour,
            int(match["minute"] or 0),
            int(match["second"] or 0),
            int(fraction),
        )
        if match["tz"]:
            parsed = parsed.replace(tzinfo=_offset(match["tz"]))
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # 2023-02-30, 25:00, offsets past 24 h
        return None
    return parsed


def parse_date(value: object, date_order: str | None = None) -> date | None:
    """Calendar date, or None when unparseable or impossible (2023-02-30).

    A time part is allowed and ignored; the date is the one written, not shifted by a zone.
    `date_order` as for parse_timestamp.
    """
    text = clean_text(value)
    if text is None:
        return None
    matched = _matched(text, date_order)
    if matched is None:
        return None
    year, month, day, match = matched
    if match["hour"] is not None and parse_timestamp(text, date_order) is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
