"""What the demo data really contains: truth rows per record and the headline numbers.

The warehouse is judged against these files: truth_records.csv links every exported row
to its true person, truth_defects.csv lists every defect (CRM, billing and order rows),
truth.json sums them up, including what mart_defect_rate and mart_customer_shortage should
report: records checked and defective per check, channel and record-level ('any') row, and
the shortage figures per country and customer-activity bucket.

With several CRM sources (--layout sources, crm_sources.py) every existing figure counts
active CRM records only: a recycle-bin row or a converted lead is no CRM record, so
`crm_rows` is the active records of all CRM sources and the files hold crm_rows +
crm_deleted_rows + crm_converted_leads CRM data rows. A field a source does not collect is
neither missing, invalid nor inaccurate there: its checks leave that source's records out.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from crm_quality.demo.defects import STALE_AFTER_DAYS, Defect, Judgement

TRUTH_RECORD_COLUMNS = (
    "source_system",
    "row_number",
    "source_record_id",
    "person_id",
    "is_prospect",
    "household_id",
)
TRUTH_DEFECT_COLUMNS = (
    "source_system",
    "row_number",
    "source_record_id",
    "quality_dimension",
    "defect_type",
    "field",
)

# --layout sources adds, per truth_records row, the file it is in and what the row is:
# 'active' (a CRM record), 'deleted' (IsDeleted true) or 'converted_lead' (a lead row whose
# ConvertedContactId names a contact of the same person); truth_defects rows gain the
# source name (defects are only ever on active records).
SOURCE_TRUTH_RECORD_COLUMNS = ("source_name", "record_status")
SOURCE_TRUTH_DEFECT_COLUMNS = ("source_name",)
RECORD_STATUSES = ("active", "deleted", "converted_lead")

# The warehouse's check catalog (macros/quality/quality_checks.sql) for the three sources:
# (dimension, defect type, field, how its records checked are counted). 'rows': every
# record; 'present': records whose value is there (validity); 'compared': records with a
# valid value on both sides (accuracy).
_PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "country")
CHECKS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "crm": (
        ("completeness", "missing", "contact_id", "rows"),
        ("uniqueness", "duplicate_id", "contact_id", "rows"),
        *(("completeness", "missing", name, "rows") for name in _PERSON_FIELDS),
        ("completeness", "missing", "last_touched_at", "rows"),
        *(
            ("validity", "invalid", name, "present")
            for name in ("email", "phone", "country", "birth_date", "created_at", "updated_at")
        ),
        *(
            ("accuracy", "inaccurate", name, "compared")
            for name in ("email", "phone", "country", "birth_date")
        ),
        ("uniqueness", "duplicate", "record", "rows"),
        ("timeliness", "stale", "last_touched_at", "rows"),
        ("validity", "unparseable", "record", "rows"),
    ),
    "billing": (
        ("completeness", "missing", "account_id", "rows"),
        ("uniqueness", "duplicate_id", "account_id", "rows"),
        *(("completeness", "missing", name, "rows") for name in _PERSON_FIELDS),
        *(
            ("validity", "invalid", name, "present")
            for name in ("email", "phone", "country", "birth_date", "opened_at")
        ),
        ("validity", "unparseable", "record", "rows"),
    ),
    "orders": (
        ("completeness", "missing", "order_id", "rows"),
        ("uniqueness", "duplicate_id", "order_id", "rows"),
        *(
            (dimension, kind, name, "rows")
            for name in ("account_id", "order_date", "amount", "currency")
            for dimension, kind in (("completeness", "missing"), ("validity", "invalid"))
        ),
        ("validity", "unparseable", "record", "rows"),
    ),
}
DIMENSIONS = ("completeness", "validity", "accuracy", "uniqueness", "timeliness")
# Dimensions each source has checks in (the others report 0 records checked).
_SOURCE_DIMENSIONS = {
    system: {dimension for dimension, _, _, _ in checks} for system, checks in CHECKS.items()
}
ACTIVITIES = ("active", "lapsed", "no_orders")  # codes 1, 2, 3 in the per-person arrays
SHORTAGE_FIGURES = (
    "actual_customers",
    "crm_customers",
    "missing_customers",
    "crm_only_customers",
    "billing_records",
    "crm_records",
)


def person_key(person_id: int) -> str:
    return f"P{person_id:08d}"


def household_key(household_id: int) -> str:
    return f"H{household_id:07d}" if household_id else ""


def rate_pct(numerator: int, denominator: int) -> float:
    return round(numerator / denominator * 100, 4) if denominator else 0.0


def defect_key(defect: tuple[str, str, str]) -> str:
    """'completeness/missing/email'."""
    return "/".join(defect)


def _by_key(counts: Counter[tuple[str, str, str]]) -> dict[str, int]:
    return {defect_key(defect): count for defect, count in sorted(counts.items())}


@dataclass
class SourceTally:
    """Per channel of one source: records, defects, validity checks skipped for an absent
    value, accuracy comparisons, and records with any defect per dimension.

    `uncollected`: per channel, the fields its source never collects; their checks leave
    that channel's records out of the records checked (a channel belongs to one source).
    """

    rows: Counter[str] = field(default_factory=Counter)
    defects: dict[str, Counter[Defect]] = field(default_factory=dict)
    skipped: dict[str, Counter[Defect]] = field(default_factory=dict)
    compared: dict[str, Counter[str]] = field(default_factory=dict)
    any_defective: dict[str, Counter[str]] = field(default_factory=dict)
    uncollected: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(self, channel: str, judgement: Judgement) -> None:
        self.rows[channel] += 1
        defects, skipped, compared = judgement
        if channel not in self.defects:
            for table in (self.defects, self.skipped, self.compared, self.any_defective):
                table[channel] = Counter()
        if defects:
            counts = self.defects[channel]
            for defect in defects:
                counts[defect] += 1
            anywhere = self.any_defective[channel]
            for dimension in {defect[0] for defect in defects}:
                anywhere[dimension] += 1
            anywhere["all"] += 1
        if skipped:
            counts = self.skipped[channel]
            for defect in skipped:
                counts[defect] += 1
        if compared:
            counts = self.compared[channel]
            for name in compared:
                counts[name] += 1
            counts["any"] += 1

    def add_clean(self, channel: str, rows: int) -> None:
        """`rows` records without any defect, absent value or comparison."""
        self.rows[channel] += rows
        if channel not in self.defects:
            for table in (self.defects, self.skipped, self.compared, self.any_defective):
                table[channel] = Counter()

    def total(self) -> Counter[Defect]:
        return sum(self.defects.values(), Counter())

    def rates(self, system: str, channel: str | None) -> dict[str, dict[str, int]]:
        """'dimension/type/field' → records checked and defective, for one channel or all
        (None), every catalog check and every record-level row ('<dimension>/any/record')."""
        channels = list(self.rows) if channel is None else [channel]

        def total(table: dict[str, Counter], key: object) -> int:
            return sum(table[name][key] for name in channels if name in table)

        def collected_rows(name: str) -> int:
            return sum(
                self.rows[channel]
                for channel in channels
                if name not in self.uncollected.get(channel, ())
            )

        rows = sum(self.rows[name] for name in channels)
        figures: dict[str, dict[str, int]] = {}
        for dimension, kind, name, basis in CHECKS[system]:
            key = (dimension, kind, name)
            if basis == "rows":
                checked = collected_rows(name)
            elif basis == "present":
                checked = collected_rows(name) - total(self.skipped, key)
            else:
                checked = total(self.compared, name)
            figures[defect_key(key)] = {
                "records_checked": checked,
                "defective_records": total(self.defects, key),
            }
        for dimension in ("all", *DIMENSIONS):
            if dimension == "accuracy":
                checked = total(self.compared, "any")
            elif dimension == "all" or dimension in _SOURCE_DIMENSIONS[system]:
                checked = rows
            else:
                checked = 0
            figures[f"{dimension}/any/record"] = {
                "records_checked": checked,
                "defective_records": total(self.any_defective, dimension),
            }
        return figures


@dataclass
class TruthTally:
    """Running counts over all chunks, turned into truth.json at the end.

    The CRM pass knows each person's golden country and CRM records, the billing pass their
    orders (so their activity); `crm_records_of` and `activity_of` (by person id) let the
    combined tally count CRM records per activity bucket.
    """

    billing_rows: int = 0
    crm_rows: int = 0
    order_rows: int = 0
    actual_customers: int = 0
    actual_customers_in_crm: int = 0
    crm_persons: int = 0
    crm_prospects: int = 0
    households: int = 0
    missing_by_country: Counter[str] = field(default_factory=Counter)
    crm: SourceTally = field(default_factory=SourceTally)
    billing: SourceTally = field(default_factory=SourceTally)
    orders: SourceTally = field(default_factory=SourceTally)
    # (breakdown, bucket, figure) → count, for mart_customer_shortage; raw rows per their
    # own country ('unknown' without a valid one) are counted apart, by system.
    breakdowns: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    record_countries: Counter[str] = field(default_factory=Counter)
    crm_records_of: array = field(default_factory=lambda: array("H"))
    activity_of: bytearray = field(default_factory=bytearray)
    # --layout sources only (see crm_sources.py); a contract run leaves them empty and its
    # truth.json without their keys. `source_specs`: (name, role, collected fields) per
    # source in file order; `source_counts`: (source name, figure) → count over CRM sources;
    # `by_source`: each CRM source's own defect tally.
    source_specs: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    source_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_source: dict[str, SourceTally] = field(default_factory=dict)
    persons_in_several_crm_sources: int = 0
    cross_source_duplicate_records: int = 0
    customers_with_orders: int = 0

    @property
    def crm_defects(self) -> Counter[Defect]:
        return self.crm.total()

    @property
    def billing_defects(self) -> Counter[Defect]:
        return self.billing.total()

    def grow(self, people: int) -> None:
        """Make room for person ids up to `people` in the per-person arrays."""
        short = people + 1 - len(self.activity_of)
        if short > 0:
            self.activity_of.extend(bytes(short))
            self.crm_records_of.extend(array("H", [0]) * short)

    @classmethod
    def combine(cls, crm: TruthTally, billing: TruthTally) -> TruthTally:
        """One tally from the CRM side's and the billing side's (both saw the same people)."""
        breakdowns = crm.breakdowns + billing.breakdowns
        for figure, tally in (("crm_records", crm), ("billing_records", billing)):
            for country, count in tally.record_countries.items():
                breakdowns["country", country, figure] += count
        crm_records: Counter[int] = Counter()
        for code, count in zip(billing.activity_of, crm.crm_records_of, strict=False):
            if code:
                crm_records[code] += count
        for code, count in crm_records.items():
            breakdowns["customer_activity", ACTIVITIES[code - 1], "crm_records"] += count
        return cls(
            billing_rows=billing.billing_rows,
            crm_rows=crm.crm_rows,
            order_rows=billing.order_rows,
            actual_customers=crm.actual_customers,
            actual_customers_in_crm=crm.actual_customers_in_crm,
            crm_persons=crm.crm_persons,
            crm_prospects=crm.crm_prospects,
            households=crm.households,
            missing_by_country=crm.missing_by_country,
            crm=crm.crm,
            billing=billing.billing,
            orders=billing.orders,
            breakdowns=breakdowns,
            source_specs=crm.source_specs,
            source_counts=crm.source_counts,
            by_source=crm.by_source,
            persons_in_several_crm_sources=crm.persons_in_several_crm_sources,
            cross_source_duplicate_records=crm.cross_source_duplicate_records,
            customers_with_orders=sum(1 for code in billing.activity_of if code in (1, 2)),
        )

    def _shortage(self) -> dict[str, dict[str, dict[str, int]]]:
        """mart_customer_shortage's figures per breakdown and bucket."""
        overall = Counter(
            actual_customers=self.actual_customers,
            crm_customers=self.actual_customers_in_crm,
            crm_only_customers=self.crm_prospects,
            billing_records=self.billing_rows,
            crm_records=self.crm_rows,
        )
        tables: dict[str, dict[str, Counter[str]]] = {"overall": {"all": overall}}
        for (breakdown, bucket, figure), count in self.breakdowns.items():
            tables.setdefault(breakdown, {}).setdefault(bucket, Counter())[figure] += count
        shortage: dict[str, dict[str, dict[str, int]]] = {}
        for breakdown in ("overall", "country", "customer_activity"):
            table = tables.get(breakdown, {})
            buckets = {}
            for bucket in sorted(table):
                counts = table[bucket]
                counts["missing_customers"] = counts["actual_customers"] - counts["crm_customers"]
                buckets[bucket] = {figure: counts[figure] for figure in SHORTAGE_FIGURES}
            shortage[breakdown] = buckets
        return shortage

    def _defect_rates(self) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
        """mart_defect_rate's rows: per source, 'all' channels and (CRM) each channel."""
        rates = {}
        for system, tally in (
            ("crm", self.crm),
            ("billing", self.billing),
            ("orders", self.orders),
        ):
            channels = {"all": tally.rates(system, None)}
            if system == "crm":
                for channel in sorted(tally.rows):
                    channels[channel] = tally.rates(system, channel)
            rates[system] = channels
        return rates

    def _source_figures(self, name: str, role: str) -> dict[str, int]:
        """One entry of truth.json's `sources`."""
        if role == "crm":
            counts = {
                figure: self.source_counts[name, figure]
                for figure in (
                    "rows",
                    "active_records",
                    "deleted_rows",
                    "converted_leads",
                    "persons",
                    "actual_customers_in_source",
                )
            }
        else:
            rows = self.billing_rows if role == "billing" else self.order_rows
            persons = self.actual_customers if role == "billing" else self.customers_with_orders
            counts = dict.fromkeys(("rows", "active_records"), rows)
            counts.update(deleted_rows=0, converted_leads=0, persons=persons)
            counts["actual_customers_in_source"] = persons
        counts["missing_customers"] = self.actual_customers - counts["actual_customers_in_source"]
        return counts

    def _sources_summary(self) -> dict[str, object]:
        """truth.json's keys for a run with several CRM sources (--layout sources).

        Every existing key counts active records only: a recycle-bin row (IsDeleted) or a
        converted lead is no CRM record. `crm_rows` is the active CRM records of all CRM
        sources; `crm_deleted_rows` and `crm_converted_leads` count the other CRM file rows,
        so the CRM files hold crm_rows + crm_deleted_rows + crm_converted_leads data rows.
        """
        sources = {}
        for name, role, collected in self.source_specs:
            sources[name] = {"role": role, **self._source_figures(name, role)}
            sources[name]["collected_fields"] = list(collected)
        crm_names = [name for name, role, _ in self.source_specs if role == "crm"]
        return {
            "crm_deleted_rows": sum(self.source_counts[name, "deleted_rows"] for name in crm_names),
            "crm_converted_leads": sum(
                self.source_counts[name, "converted_leads"] for name in crm_names
            ),
            "sources": sources,
            "persons_in_several_crm_sources": self.persons_in_several_crm_sources,
            "cross_source_duplicate_records": self.cross_source_duplicate_records,
            "defect_rates_by_source": {
                "crm": {name: self.by_source[name].rates("crm", None) for name in crm_names},
                "billing": {"billing": self.billing.rates("billing", None)},
                "orders": {"orders": self.orders.rates("orders", None)},
            },
        }

    def summary(self, seed: int, people: int, as_of: date) -> dict[str, object]:
        """truth.json: counts, rates and defect totals, keys in a fixed order."""
        missing = self.actual_customers - self.actual_customers_in_crm
        summary = {
            "seed": seed,
            "people": people,
            "as_of_date": as_of.isoformat(),
            "stale_after_days": STALE_AFTER_DAYS,
            "billing_rows": self.billing_rows,
            "crm_rows": self.crm_rows,
            "order_rows": self.order_rows,
            "actual_customers": self.actual_customers,
            "actual_customers_in_crm": self.actual_customers_in_crm,
            "missing_customers": missing,
            "shortage_rate_pct": rate_pct(missing, self.actual_customers),
            "naive_shortage_rate_pct": rate_pct(
                self.billing_rows - self.crm_rows, self.billing_rows
            ),
            "crm_persons": self.crm_persons,
            "crm_prospects": self.crm_prospects,
            "crm_duplicate_records": self.crm_rows - self.crm_persons,
            "households": self.households,
            "defects": _by_key(self.crm_defects),
            "billing_defects": _by_key(self.billing_defects),
            "order_defects": _by_key(self.orders.total()),
            "missing_by_country": dict(sorted(self.missing_by_country.items())),
            "shortage": self._shortage(),
            "defect_rates": self._defect_rates(),
        }
        if self.source_specs:
            summary.update(self._sources_summary())
        return summary
