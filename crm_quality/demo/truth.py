"""What the demo data really contains: truth rows per record and the headline numbers.

The warehouse is judged against these files: truth_records.csv links every exported row
to its true person, truth_defects.csv lists every defect, truth.json sums them up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from crm_quality.demo.defects import STALE_AFTER_DAYS

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
class TruthTally:
    """Running counts over all chunks, turned into truth.json at the end."""

    billing_rows: int = 0
    crm_rows: int = 0
    order_rows: int = 0
    actual_customers: int = 0
    actual_customers_in_crm: int = 0
    crm_persons: int = 0
    crm_prospects: int = 0
    households: int = 0
    missing_by_country: Counter[str] = field(default_factory=Counter)
    crm_defects: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    billing_defects: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @classmethod
    def combine(cls, crm: TruthTally, billing: TruthTally) -> TruthTally:
        """One tally from the CRM side's and the billing side's (both saw the same people)."""
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
            crm_defects=crm.crm_defects,
            billing_defects=billing.billing_defects,
        )

    def summary(self, seed: int, people: int, as_of: date) -> dict[str, object]:
        """truth.json: counts, rates and defect totals, keys in a fixed order."""
        missing = self.actual_customers - self.actual_customers_in_crm
        return {
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
            "missing_by_country": dict(sorted(self.missing_by_country.items())),
        }
