"""Dates and timestamps in the formats CRM exports actually use.

Accepted: ISO 'YYYY-MM-DD', German/European 'DD.MM.YYYY' and 'YYYY/MM/DD', each optionally
followed by a time ('HH:MM', 'HH:MM:SS', fractions, 'T' or space separated, 'Z' or an
offset). Ambiguous slash forms such as '03/04/2023' are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from crm_quality.standardize.text import clean_text

_TIME = (
    r"(?:[T ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_FORMATS = (
    re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_TIME}", re.I),
    re.compile(rf"(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}){_TIME}", re.I),
    re.compile(rf"(?P<year>\d{{4}})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}}){_TIME}", re.I),
)


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def parse_timestamp(value: object) -> datetime | None:
    """Naive datetime, or None when the text is not a real date and time.

    A date alone means midnight. A given offset is applied and the result expressed in
    UTC, so timestamps from systems in different zones compare correctly.
    """
    text = clean_text(value)
    if text is None:
        return None
    for pattern in _FORMATS:
        match = pattern.fullmatch(text)
        if match is not None:
            break
    else:
        return None
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    try:
        parsed = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"] or 0),
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


def parse_date(value: object) -> date | None:
    """Calendar date, or None when unparseable or impossible (2023-02-30).

    A time part is allowed and ignored; the date is the one written, not shifted by a zone.
    """
    text = clean_text(value)
    if text is None:
        return None
    for pattern in _FORMATS:
        match = pattern.fullmatch(text)
        if match is not None:
            break
    else:
        return None
    if match["hour"] is not None and parse_timestamp(text) is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
