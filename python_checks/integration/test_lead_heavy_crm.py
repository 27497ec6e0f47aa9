"""A lead-heavy CRM: one billing customer against 5,000 CRM contacts builds, with exact rates.

The naive shortage rate is then (1 − 5,000) / 1 × 100 = −499,900 %, far beyond what a
decimal(9, 4) holds; every mart and monitoring model downstream must still build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from python_checks.dbt_runner import DbtRun, run_dbt
from python_checks.integration.conftest import RATE_MONITORS
from python_checks.integration.test_bad_input import write_raw

pytestmark = pytest.mark.integration

CRM_CONTACTS = 5000
# Leads entered twice (as CRMs hold them); entity resolution cannot train on data with no
# duplicate at all (its deterministic prior is then zero).
DISTINCT_LEADS = 4500
FIRST_NAMES = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo", "Ida", "Jonas"]
LAST_NAMES = [f"Name{letter}{number}" for letter in "ABCDEFGHIJ" for number in range(50)]
# The one paying customer, not among the leads.
BILLING_CUSTOMER = (
    b"A1,Zoe,Solo,zoe@example.com,+49 30 9999999,Ring 1,Berlin,10999,DE,1960-06-06,"
    b"active,2019-01-01"
)


def crm_row(row: int) -> bytes:
    """A plausible lead with its own name, e-mail, phone, address and birth date; the rows
    after DISTINCT_LEADS repeat the first leads under a new contact id."""
    number = row % DISTINCT_LEADS
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[number // len(FIRST_NAMES)]
    birth = f"19{50 + number % 50}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    return (
        f"L{row},web_form,{first},{last},{first.lower()}.{last.lower()}@example.de,"
        f"+49 30 {1000000 + number},Weg {number},Berlin,{10000 + number},DE,{birth},,"
        "2026-01-01,2026-02-01"
    ).encode()


@pytest.fixture(scope="module")
def lead_heavy_build(tmp_path_factory) -> DbtRun:
    root = tmp_path_factory.mktemp("lead_heavy")
    raw: Path = root / "raw"
    raw.mkdir()
    write_raw(raw, "crm_contacts", [crm_row(row) for row in range(CRM_CONTACTS)])
    write_raw(raw, "billing_customers", [BILLING_CUSTOMER])
    write_raw(raw, "orders", [b"O1,A1,2026-05-01,10.50,EUR"])
    # One customer who is not in the CRM breaches the shortage monitor by design.
    run = run_dbt(["build", "--exclude", *RATE_MONITORS], raw, root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_naive_shortage_rate_is_exact_however_many_crm_rows(lead_heavy_build):
    rows = lead_heavy_build.query(
        "select breakdown, breakdown_value, billing_records, crm_records, naive_shortage_rate_pct "
        "from mart_customer_shortage where breakdown in ('overall', 'country') order by 1, 2"
    )
    assert rows == [
        ("country", "DE", 1, CRM_CONTACTS, -499900.0),
        ("overall", "all", 1, CRM_CONTACTS, -499900.0),
    ]


def test_shortage_and_defect_rates_are_built(lead_heavy_build):
    assert lead_heavy_build.query(
        "select actual_customers, missing_customers, shortage_rate_pct, shortage_rate_low_pct, "
        "shortage_rate_high_pct from mart_customer_shortage where breakdown = 'overall'"
    ) == [(1, 1, 100.0, 100.0, 100.0)]
    assert (
        lead_heavy_build.scalar(
            "select records_checked from mart_defect_rate where source_system = 'crm' "
            "and source_name = 'all' "
            "and source_channel = 'all' and quality_dimension = 'all' and field = 'record'"
        )
        == CRM_CONTACTS
    )
