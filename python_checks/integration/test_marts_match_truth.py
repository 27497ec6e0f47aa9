"""The marts, built on generated data, against the generator's truth (truth.json).

Figures no entity resolution decides (records checked and defective per check, channel and
source; records per country) must equal the truth exactly. Figures that rest on entity
resolution (duplicates, accuracy, customers per country and activity, CRM-only customers)
must come within about twice the error measured on this dataset.

"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

OVERALL = "select {} from mart_customer_shortage where breakdown = 'overall'"
SHORTAGE_FIGURES = (
    "actual_customers",
    "crm_customers",
    "missing_customers",
    "crm_only_customers",
    "billing_records",
    "crm_records",
)
# Checks the awkward CRM cases move (names that look like placeholders, the last touch,
# national phones without a country, amounts with separators), per source; and checks decided
# by entity resolution. Every other check is deterministic.
AWKWARD_CASE_CHECKS = {
    "crm": {
        "completeness/missing/first_name",
        "completeness/missing/last_name",
        "completeness/missing/last_touched_at",
        "timeliness/stale/last_touched_at",
        "validity/invalid/phone",
        "accuracy/inaccurate/phone",
    },
    "billing": {"completeness/missing/first_name", "completeness/missing/last_name"},
    "orders": {"validity/invalid/amount"},
}
RESOLVED_CHECKS = {
    "uniqueness/duplicate/record",
    "accuracy/inaccurate/email",
    "accuracy/inaccurate/phone",
    "accuracy/inaccurate/country",
    "accuracy/inaccurate/birth_date",
}
# Record-level rows ('<dimension>/any/record') that entity resolution or the golden
# country (a national phone's validity) moves; the others are deterministic.
RESOLVED_RECORD_ROWS = {"all", "validity", "accuracy", "uniqueness"}

# Tolerances (relative, absolute floor): about twice the largest error measured on this
# dataset (seed 20261125, 3,000 people, with family inboxes, joint accounts, twins and Jr./Sr.),
# the floor for small counts. Measured: records compared for accuracy and inaccurate ones
# exact; duplicates +3 of 314 overall, at most 4 records in one channel; records with any
# defect −8 of 450 in one channel (−1.8 %); customers per country within 3 (0.55 %); per
# activity within 4 (0.54 %); CRM-only customers exact.
Tolerance = tuple[float, int]
RESOLVED_CHECKED_TOLERANCE: Tolerance = (0.002, 2)
RESOLVED_DEFECTIVE_TOLERANCE: Tolerance = (0.036, 8)
COUNTRY_CUSTOMER_TOLERANCE: Tolerance = (0.011, 6)
ACTIVITY_TOLERANCE: Tolerance = (0.011, 8)
CRM_ONLY_TOLERANCE: Tolerance = (0.005, 2)


def within(found: int, expected: int, tolerance: Tolerance) -> bool:
    relative, floor = tolerance
    return abs(found - expected) <= max(floor, relative * expected)


@pytest.fixture(scope="module")
def rates(warehouse) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(source, channel, 'dimension/type/field') → (records checked, defective records)."""
    rows = warehouse.query(
        "select source_system, source_channel, "
        "quality_dimension || '/' || defect_type || '/' || field, "
        "records_checked, defective_records from mart_defect_rate where source_name = 'all'"
    )
    return {(system, channel, key): (checked, bad) for system, channel, key, checked, bad in rows}


def truth_rates(truth: dict) -> dict[tuple[str, str, str], tuple[int, int]]:
    """The same rows from truth.json; billing and order rows also under channel 'billing'
    (the mart's 'all' rows are a full grid, its channel rows only where records were checked)."""
    found = {}
    for system, channels in truth["defect_rates"].items():
        for channel, keys in channels.items():
            for key, figures in keys.items():
                row = (figures["records_checked"], figures["defective_records"])
                found[system, channel, key] = row
                if system != "crm" and row[0]:  # a channel row exists where records were checked
                    found[system, "billing", key] = row
    return found


def compare(rates: dict, truth: dict, select, resolved: bool = False) -> dict:
    """{row: (truth, warehouse)} for the selected rows that differ (for rows entity
    resolution decides: beyond the tolerances)."""
    differing = {}
    tolerances = (RESOLVED_CHECKED_TOLERANCE, RESOLVED_DEFECTIVE_TOLERANCE)
    for row, expected in truth_rates(truth).items():
        if not select(*row):
            continue
        found = rates.get(row, (0, 0))
        if not resolved:
            same = found == expected
        else:
            same = all(map(within, found, expected, tolerances))
        if not same:
            differing[row] = (expected, found)
    return differing


def is_record_row(key: str) -> bool:
    return key.endswith("/any/record")


# --- checks that hold on any warehouse ----------------------------------------------------


def test_every_truth_row_is_a_mart_row(rates, truth):
    assert set(truth_rates(truth)) - set(rates) == set()
    assert {channel for system, channel, _ in rates if system == "crm"} == set(
        truth["defect_rates"]["crm"]
    )


def test_deterministic_checks_per_source_and_channel_exactly(rates, truth):
    """Records checked and defective for every check no resolution decides, in CRM, billing
    and orders, over all channels and per channel: blank and repeated ids (a joint
    account's second row repeats its id), missing values, invalid e-mails, countries,
    birth dates, created_at and updated_at (a blank updated_at is not checked)."""

    def deterministic(system, channel, key):
        # Which row of a repeated id is the repeat follows the warehouse's row order, so
        # only its total is fixed, not its channel.
        by_row_order = key.startswith("uniqueness/duplicate_id/") and channel != "all"
        return not (
            is_record_row(key)
            or key in AWKWARD_CASE_CHECKS[system]
            or key in RESOLVED_CHECKS
            or by_row_order
        )

    assert compare(rates, truth, deterministic) == {}
    assert (
        truth["defect_rates"]["billing"]["all"]["uniqueness/duplicate_id/account_id"][
            "defective_records"
        ]
        > 0
    )


def test_resolved_checks_per_channel_closely(rates, truth):
    """Duplicates and accuracy (records compared and found inaccurate) per channel."""

    def resolved(system, channel, key):
        return key in RESOLVED_CHECKS and key not in AWKWARD_CASE_CHECKS[system]

    assert compare(rates, truth, resolved, resolved=True) == {}


def test_actual_customers_closely(warehouse, truth):
    found = warehouse.scalar(OVERALL.format("actual_customers"))
    # Measured 2,413 of 2,417 (−0.17 %).
    assert found == pytest.approx(truth["actual_customers"], rel=0.0035)


def test_missing_customers_closely(warehouse, truth):
    found = warehouse.scalar(OVERALL.format("missing_customers"))
    # Measured 304 of 305 (−0.33 %).
    assert found == pytest.approx(truth["missing_customers"], rel=0.007)
    assert warehouse.scalar("select count(*) from fct_missing_customers") == found


def test_crm_only_customers_closely(warehouse, truth):
    found = warehouse.scalar(OVERALL.format("crm_only_customers"))
    assert within(found, truth["crm_prospects"], CRM_ONLY_TOLERANCE), found


def test_shortage_rate_within_a_twentieth_of_a_point(warehouse, truth):
    # Measured −0.02 points.
    rate = float(warehouse.scalar(OVERALL.format("shortage_rate_pct")))
    assert rate == pytest.approx(truth["shortage_rate_pct"], abs=0.05)


def test_naive_shortage_exactly(warehouse, truth):
    assert warehouse.scalar(OVERALL.format("billing_records")) == truth["billing_rows"]
    assert warehouse.scalar(OVERALL.format("crm_records")) == truth["crm_rows"]
    naive = float(warehouse.scalar(OVERALL.format("naive_shortage_rate_pct")))
    assert naive == pytest.approx(truth["naive_shortage_rate_pct"], abs=1e-4)


def shortage_rows(warehouse, breakdown: str) -> dict[str, dict[str, int]]:
    rows = warehouse.query(
        f"select breakdown_value, {', '.join(SHORTAGE_FIGURES)} from mart_customer_shortage "
        f"where breakdown = '{breakdown}'"
    )
    return {row[0]: dict(zip(SHORTAGE_FIGURES, row[1:], strict=True)) for row in rows}


def test_every_country_bucket_counts_its_records_exactly(warehouse, truth):
    """Raw rows per their own country, 'unknown' (no valid country) included."""
    found = shortage_rows(warehouse, "country")
    expected = truth["shortage"]["country"]
    assert set(found) == set(expected) and "unknown" in expected
    for figure in ("billing_records", "crm_records"):
        assert {bucket: found[bucket][figure] for bucket in found} == {
            bucket: expected[bucket][figure] for bucket in expected
        }, figure


def test_every_country_bucket_counts_its_customers_closely(warehouse, truth):
    """Customers per golden country, 'unknown' included: actual, in CRM, missing, CRM-only."""
    found = shortage_rows(warehouse, "country")
    differing = {
        (bucket, figure): (figures[figure], found.get(bucket, {}).get(figure, 0))
        for bucket, figures in truth["shortage"]["country"].items()
        for figure in SHORTAGE_FIGURES[:4]
        if not within(
            found.get(bucket, {}).get(figure, 0), figures[figure], COUNTRY_CUSTOMER_TOLERANCE
        )
    }
    assert differing == {}


def test_missing_by_country_closely(warehouse, truth):
    rows = shortage_rows(warehouse, "country")
    for country, expected in truth["missing_by_country"].items():
        found = rows.get(country, {}).get("missing_customers", 0)
        assert found == pytest.approx(expected, abs=max(2, 0.05 * expected))


def test_every_activity_bucket_closely(warehouse, truth):
    """Actual customers per activity (active, lapsed, no orders), their CRM presence and
    their raw rows."""
    found = shortage_rows(warehouse, "customer_activity")
    expected = truth["shortage"]["customer_activity"]
    assert set(found) == set(expected) == {"active", "lapsed", "no_orders"}
    differing = {
        (bucket, figure): (figures[figure], found[bucket][figure])
        for bucket, figures in expected.items()
        for figure in SHORTAGE_FIGURES
        if not within(found[bucket][figure], figures[figure], ACTIVITY_TOLERANCE)
    }
    assert differing == {}


def test_every_raw_row_reaches_xref(warehouse, truth):
    counts = dict(warehouse.query("select source_system, count(*) from customer_xref group by 1"))
    assert counts == {"crm": truth["crm_rows"], "billing": truth["billing_rows"]}


def test_defect_rates_are_numerator_over_denominator(warehouse):
    bad = warehouse.scalar(
        """
        select count(*) from mart_defect_rate
        where (records_checked = 0 and defect_rate_pct is not null)
           or (records_checked > 0
               and abs(defect_rate_pct - round(100.0 * defective_records / records_checked, 4))
                   > 0.0001)
        """
    )
    assert bad == 0


# --- checks of the awkward CRM cases -------------------------------------------------------


def test_checks_under_the_shared_rules_exactly(rates, truth):
    """Names such as Na, Nil and Null are names; timeliness on updated_at else created_at
    (none at all: stale, and both blank also missing); order amounts with separators."""

    def awkward(system, channel, key):
        return key in AWKWARD_CASE_CHECKS[system] and key not in (
            "validity/invalid/phone",
            "accuracy/inaccurate/phone",
        )

    assert compare(rates, truth, awkward) == {}


def test_phones_without_a_country_closely(rates, truth):
    """A national phone on a record without a country: judged against the golden country,
    or left out of the phone validity check when there is none."""

    def phones(system, channel, key):
        return system == "crm" and key in ("validity/invalid/phone", "accuracy/inaccurate/phone")

    assert compare(rates, truth, phones, resolved=True) == {}


def test_record_level_rows_per_source_and_channel(rates, truth):
    """Records with at least one defect, per dimension and over all: exact where no
    resolution decides (completeness, timeliness), close elsewhere."""

    def exact(system, channel, key):
        return is_record_row(key) and key.split("/")[0] not in RESOLVED_RECORD_ROWS

    def resolved(system, channel, key):
        return is_record_row(key) and key.split("/")[0] in RESOLVED_RECORD_ROWS

    assert compare(rates, truth, exact) == {}
    assert compare(rates, truth, resolved, resolved=True) == {}
