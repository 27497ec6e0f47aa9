"""Raw e-mail, date, timestamp and amount values to hold the SQL standardizers against Python.

Two sources: every distinct value the demo generator writes (its defect injection included)
at a few seeds and in both layouts, read through the ingest layer as a build reads them; and
hand-made edge cases of the formats the Python accepts and refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from crm_quality.demo import DemoConfig, generate
from crm_quality.ingest import load_role
from crm_quality.standardize.text import is_missing

AS_OF = date(2026, 6, 30)

# (people, seed, layout, leads): the contract layout and the three-source layout.
GENERATOR_RUNS = ((2000, 7, "contract", 0), (1200, 11, "sources", 300), (800, 23, "contract", 0))

# The raw fields of each role that carry each kind of value.
FIELDS = {
    "email": {"crm": ("email",), "billing": ("email",)},
    "temporal": {
        "crm": ("birth_date", "created_at", "updated_at"),
        "billing": ("birth_date", "opened_at"),
        "orders": ("order_date",),
    },
    "amount": {"orders": ("amount",)},
}

EMAIL_EDGE_CASES = (
    None,
    "",
    "   ",
    "N/A",
    "null",
    "NULL",
    "na",
    "Nil",
    "unknown",
    "John.Doe@Example.COM",
    "  john.doe@example.com  ",
    "john\u00a0doe@example.com",
    "\u200bjohn@example.com\ufeff",
    "John Doe <JOHN@EXAMPLE.COM>",
    "<mailto:<a@b.com>>",
    "mailto:a@b.com",
    "MAILTO: MailTo:a@b.com",
    "<n/a>",
    "<>",
    "<<>>",
    "mailto:",
    "a@b.com>",
    "a <b@c.de> c",
    "x<y>z<a@b.com>",
    "a@b",
    "a@b.c",
    "a@b.co",
    "a@@b.com",
    "a b@c.de",
    "a..b@c.de",
    ".a@c.de",
    "a.@c.de",
    "a@-b.de",
    "a@b-.de",
    "a@b_c.de",
    "a@b.c0m",
    "a@xn--bcher-kva.xn--p1ai",
    "a@b.xn--",
    "user+tag@sub.example.co.uk",
    "o'brien@example.ie",
    "!#$%&'*+/=?^_`{|}~-@example.org",
    'a"b@c.de',
    "a(b)@c.de",
    "müller@bücher.de",
    "MÜLLER@BÜCHER.DE",
    "mu\u0308ller@example.de",
    "用户@例子.广告",
    "δοκιμή@παράδειγμα.δοκιμή",
    "почта@пример.рф",
    "user@example.c\u00f3m",
    "a@b.١٢",
    "a@١٢.com",
    "ⅻ@example.com",
    "a@परीक्षा.com",
    "a@उदाहरण.भारत",
    "a@b².com",
    "a@b.c²d",
    "a@ex́ample.com",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "a@" + "b" * 63 + ".com",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["b" * 60] * 4) + ".com",
    "a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com",
    "x@mailinator.com",
    "x@sub.mailinator.com",
    "x@MAILINATOR.COM",
    "x@notmailinator.com",
    "x@mailinator.com.evil.org",
    "x@yopmail.fr",
    "john@example.com\t",
    "john@exa\tmple.com",
    "a@b.com\x85",
    "a\x07@b.com",
)

TEMPORAL_EDGE_CASES = (
    None,
    "",
    " ",
    "n/a",
    "NA",
    "nil",
    "NULL",
    "0",
    "-",
    "?",
    "2023-03-04",
    "2023-3-4",
    " 2023-03-04 ",
    "2023-03-04\u00a0",
    "\ufeff2023-03-04",
    "04.03.2023",
    "4.3.2023",
    "2023/03/04",
    "2023/3/4",
    "03/04/2023",
    "13/04/2023",
    "04/13/2023",
    "03-04-2023",
    "04.03.23",
    "23-03-04",
    "20230304",
    "2023-03-04T10:20",
    "2023-03-04t10:20",
    "2023-03-04 10:20:30",
    "2023-03-04T10:20:30Z",
    "2023-03-04T10:20:30z",
    "2023-03-04T10:20:30.5",
    "2023-03-04T10:20:30,5",
    "2023-03-04T10:20:30.123456789",
    "2023-03-04T10:20:30.1234567891",
    "2023-03-04T10:20:30.999999",
    "2023-03-04T10:20:30.9999999",
    "2023-03-04T10:20:30.000Z",
    "2023-03-04T10:20.5",
    "2023-03-04T1:02",
    "2023-03-04 1:2",
    "2023-03-04T 10:20",
    "2023-03-04 10:20 Z",
    "2023-03-04T23:30:00-05:00",
    "2023-03-04T01:30:00+05:30",
    "2023-03-04T01:30:00+0530",
    "2023-03-04T01:30:00+05",
    "2023-03-04T01:30:00+5",
    "2023-03-04T01:30:00+05:3",
    "2023-03-04T01:30:00+23:59",
    "2023-03-04T01:30:00+24:00",
    "2023-03-04T01:30:00-23:99",
    "2023-03-04T01:30:00+00:99",
    "2023-03-04T10:00+01:00",
    "04.03.2023 10:20",
    "04.03.2023 10:20:30+02:00",
    "2023/03/04 10:20:30",
    "2023/03/04T10:20:30Z",
    "2023-03-04 24:00",
    "2023-03-04 23:60",
    "2023-03-04 23:59:60",
    "2023-03-04 10:20:30 PM",
    "2023-03-04 10h20",
    "2023-03-04T",
    "2023-02-29",
    "2024-02-29",
    "1900-02-29",
    "2000-02-29",
    "2023-02-30",
    "2023-04-31",
    "2023-13-01",
    "2023-00-10",
    "2023-01-00",
    "2023-01-32",
    "31.12.1999",
    "32.12.1999",
    "29.02.2024",
    "29.02.2023 10:00",
    "2023-02-30 10:00:00",
    "0000-00-00",
    "0000-00-00 00:00:00",
    "00.00.0000",
    "0000-01-01",
    "0001-01-01",
    "0001-01-01T00:30:00+01:00",
    "0001-01-01T00:30:00-01:00",
    "9999-12-31",
    "9999-12-31T23:30:00-01:00",
    "9999-12-31T23:30:00+01:00",
    "1899-12-31",
    "1900-01-01",
    "1906-06-30",
    "1906-07-01",
    "1906-06-29",
    "2026-06-30",
    "2026-07-01",
    "2026-07-02",
    "2026-07-01T23:59:59",
    "2026-07-01T23:30:00-01:00",
    "2026-07-02T00:30:00+01:00",
    "2100-01-01",
    "1800-05-05",
    "0099-01-01",
    "2023-03-04 10:20:30 +01:00",
    "2023-03-04  10:20:30",
    "45000",
    "44927.5",
    "1678000000",
    "March 4, 2023",
    "4 March 2023",
    "2023-03-04Z",
    "2023-W09-6",
    "２０２３-03-04",
    "٢٠٢٣-03-04",
    "𝟚𝟘𝟚𝟛-𝟘𝟛-𝟘𝟜T𝟙𝟘:𝟚𝟘+𝟘𝟙",
    "०४.०३.२०२३",
    "2023–03–04",
    "yesterday",
    "2023-03-04 10:20:30.123+01",
    "12023-01-01",
    "2023-001-01",
)

# Slashed day-and-month dates, read only in a source's declared date_order, and their
# 12-hour clocks: every month and day around the limits, every hour with AM and PM, and
# the shapes around them.
ORDERED_TEMPORAL_EDGE_CASES = (
    *(
        f"{leading}/{trailing}/{year}"
        for leading in range(14)
        for trailing in (0, 1, 12, 13, 28, 29, 30, 31, 32)
        for year in (2023, 2024)
    ),
    *(f"3/4/2023 {hour}:05 {meridiem}" for hour in range(15) for meridiem in ("AM", "pm")),
    "6/22/1961",
    "22/6/1961",
    "06/22/1961",
    "022/06/1961",
    "6/22/61",
    "6-22-1961",
    "6/22/1961 ",
    "６/２２/１９６１",
    "00/00/0000",
    "1/1/0000",
    "1/1/0001",
    "12/31/9999",
    "1/1/0001 12:30 AM +01:00",
    "1/1/0001 12:30 AM -01:00",
    "12/31/9999 11:30 PM -01:00",
    "12/31/9999 11:30 PM +01:00",
    "6/30/2026",
    "7/1/2026",
    "7/2/2026",
    "1/7/2026",
    "2/7/2026",
    "6/30/2026 11:30 PM -01:00",
    "7/1/2026 11:59:59 PM",
    "6/30/1906",
    "7/1/1906",
    "12/31/1899",
    "12/6/2026 3:45 PM",
    "12/6/2023 3:45 PM",
    "12/6/2023 3:45 pm",
    "12/6/2023 3:45PM",
    "12/6/2023 3:45 Pm",
    "12/6/2023 3:45 P.M.",
    "12/6/2023 3:45 P",
    "12/6/2023 3:45 XM",
    "12/6/2023 3 PM",
    "12/6/2023 3:45 PM PM",
    "12/6/2023 3:45  PM",
    "12/6/2023 12:00 AM",
    "12/6/2023 12:00 PM",
    "12/6/2023 12:59:59 AM",
    "12/6/2023 00:30 AM",
    "12/6/2023 00:30 PM",
    "12/6/2023 13:00 PM",
    "12/6/2023 12:60 PM",
    "12/6/2023 11:59:60 PM",
    "12/6/2023 11:59:59.5 PM",
    "12/6/2023 11:59:59,9999999 PM",
    "12/6/2023 3:45 PM Z",
    "12/6/2023 3:45 PMZ",
    "12/6/2023 3:45 PM +05:30",
    "12/6/2023 3:45 PM+0530",
    "12/6/2023 3:45 Z PM",
    "12/6/2023T3:45 PM",
    "12/6/2023t03:45:00 am",
    "12/6/2023 14:45",
    "12/6/2023 14:45:10",
    "12/6/2023 24:00",
    "12/6/2023, 9:14 AM",
    "12/6/2023,9:14 AM",
    "12/6/2023 , 9:14 AM",
    "12/6/2023,, 9:14 AM",
    "12/6/2023,",
    "12/6/2023, 9:14:05 PM +01:00",
    "2023-12-06, 09:14",
    "2023-12-06,T09:14",
    "06.12.2023, 21:14:30",
    "12/6/2023 PM",
    "2023-12-06 3:45 PM",
    "06.12.2023 3:45 PM",
    "2023/12/06 3:45 PM",
    "2023-12-06T10:20:30 AM",
    "2/29/2024 12:00 AM",
    "2/29/2023 12:00 AM",
    "29/2/2024 11:00 PM",
    "2/30/2020",
    "30/2/2020",
)

AMOUNT_EDGE_CASES = (
    None,
    "",
    "  ",
    "n/a",
    "-",
    "0",
    "0.00",
    "-0",
    "-0.00",
    "-0.004",
    "-0.005",
    "+5",
    "+ 5",
    "- 5",
    "-5",
    "1234",
    "1234.5",
    "0.05",
    "1,234.50",
    "1.234,50",
    "1,234,567.89",
    "1.234.567,89",
    "1,234,567",
    "1.234.567",
    "12,5",
    "12,50",
    "1234,56",
    "12,345",
    "1,234",
    "1.234",
    "0.234",
    "1.2345",
    "12,3456",
    ".5",
    "5.",
    ",5",
    "1,,234",
    "1,234,56",
    "1.234,567",
    "12,34.5",
    "1,234.5,6",
    "1,234.567.8",
    "1.234.567.890,12",
    "1234,567.89",
    "0.005",
    "0.004",
    "0.015",
    "0.0149999",
    "2.675",
    "999.995",
    "9999999999999999.99",
    "9999999999999999.994",
    "9999999999999999.995",
    "10000000000000000",
    "00000000000000000001.5",
    "123456789012345678901234",
    "1 234",
    "1'234.50",
    "€12.50",
    "12.50 EUR",
    "12.50€",
    "1e3",
    "0x10",
    "١٢٣",
    "１２３",
    "１,２３４.５０",
    "٠٫٥",
    "\u00a012.50\u3000",
    "12.50\x0b",
    "NaN",
    "Infinity",
)


@dataclass
class ValueCorpus:
    """Distinct raw values per kind ('email', 'temporal', 'amount')."""

    values: dict[str, set[str | None]] = field(
        default_factory=lambda: {kind: set() for kind in FIELDS}
    )

    def add(self, kind: str, values: object) -> None:
        self.values[kind].update(values)  # type: ignore[arg-type]


def generator_values(work_dir: Path, runs: tuple = GENERATOR_RUNS) -> ValueCorpus:
    """Every distinct raw value of the demo generator's runs, read through the ingest layer."""
    corpus = ValueCorpus()
    connection = duckdb.connect()
    for people, seed, layout, leads in runs:
        raw_dir = work_dir / f"raw-{seed}-{layout}"
        config = DemoConfig(people, seed, AS_OF, "csv", leads=leads, layout=layout)
        generate(config, raw_dir)
        for kind, roles in FIELDS.items():
            for role, columns in roles.items():
                rows = load_role(connection, raw_dir, role)
                frame = rows if isinstance(rows, pd.DataFrame) else rows.df()
                for column in columns:
                    corpus.add(
                        kind,
                        (None if is_missing(value) else str(value) for value in frame[column]),
                    )
    return corpus


def edge_cases() -> ValueCorpus:
    corpus = ValueCorpus()
    corpus.add("email", EMAIL_EDGE_CASES)
    corpus.add("temporal", TEMPORAL_EDGE_CASES)
    corpus.add("temporal", ORDERED_TEMPORAL_EDGE_CASES)
    corpus.add("amount", AMOUNT_EDGE_CASES)
    return corpus
