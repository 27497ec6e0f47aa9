"""Values real CRMs hold that look wrong and are not, and settings that must reach the code.

A national phone without a country is judged for the customer's country or not at all;
'Na', 'Nil' and 'Null' are names; 'NA' is Namibia; '1,234' is no amount; min_birth_date and
min_order_date change which dates are invalid.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from python_checks.dbt_runner import DbtRun, run_dbt
from python_checks.integration.conftest import RATE_MONITORS
from python_checks.integration.test_bad_input import write_raw

pytestmark = pytest.mark.integration

CRM_ROWS = [
    # Anna's CRM record has no country; her billing account says DE: a Berlin number.
    b"C1,web_form,Anna,Schmidt,anna.schmidt@example.de,030 1234567,Hauptstr 1,Berlin,10115,,"
    b"1980-01-01,,2020-01-01,2025-01-01",
    # Bob has no country anywhere: his number cannot be judged.
    b"C2,web_form,Bob,Keller,bob.keller@example.com,0221 7654321,Ringstr 9,Koeln,50667,,"
    b"1975-05-05,,2020-01-01,2025-01-01",
    # Real names that look like placeholders, and Namibia.
    b"C3,event,Nil,Na,nil.na@example.com,+49 40 1234567,Elbweg 2,Hamburg,20095,DE,"
    b"1990-02-02,,2020-01-01,2025-01-01",
    b"C4,event,Hans,Null,hans.null@example.com,+49 89 1234567,Isarweg 3,Muenchen,80331,DE,"
    b"1940-03-03,,2020-01-01,2025-01-01",
    b"C5,import,Ndapewa,Shikongo,nd@example.na,061 221 234,Independence Ave 1,Windhoek,"
    b"10005,NA,1985-04-04,,2020-01-01,2025-01-01",
    # An invalid number where the country is known: still invalid.
    b"C6,import,Eva,Brandt,eva.brandt@example.de,030 12,Parkweg 4,Berlin,10117,DE,"
    b"1970-06-06,,2020-01-01,2025-01-01",
]
BILLING_ROWS = [
    b"A1,Anna,Schmidt,anna.schmidt@example.de,+49 30 1234567,Hauptstr 1,Berlin,10115,DE,"
    b"1980-01-01,active,2019-01-01",
    b"A2,Carl,Weber,carl.weber@example.de,+49 30 7654321,Seeweg 5,Berlin,10119,DE,"
    b"1960-07-07,active,2019-01-01",
]
ORDER_ROWS = [
    b'O1,A1,2026-01-01,"1,234",EUR',  # a thousand or 1.234: ambiguous
    b'O2,A1,2026-01-01,"1,234.50",EUR',
    b'O3,A2,2026-01-01,"1.234,50",EUR',
    b"O4,A2,2026-01-01,12.5,EUR",
    b"O5,A2,1940-01-01,12.5,EUR",  # a plausible order date, whatever min_birth_date says
]


def _raw(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    write_raw(raw, "crm_contacts", CRM_ROWS)
    write_raw(raw, "billing_customers", BILLING_ROWS)
    write_raw(raw, "orders", ORDER_ROWS)
    return raw


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> DbtRun:
    root = tmp_path_factory.mktemp("awkward_values")
    run = run_dbt(["build", "--exclude", *RATE_MONITORS], _raw(root), root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return run


def checks(run: DbtRun, field: str, defect_type: str) -> dict[str, bool]:
    """source_record_id → is_defective of one person-field check."""
    return dict(
        run.query(
            f"""select source_record_id, is_defective from int_quality_checks
            where field = '{field}' and defect_type = '{defect_type}'
              and source_system in ('crm', 'billing')"""
        )
    )


def test_a_national_phone_is_judged_for_the_customers_country(build):
    assert (
        build.scalar(
            "select count(distinct customer_id) from int_person_records_resolved "
            "where record_key in ('crm:C1', 'billing:A1')"
        )
        == 1
    ), "Anna's CRM record and billing account are one customer"
    rejudged = {
        key: (country, phone, status)
        for key, country, phone, status in build.query(
            "select record_key, phone_country, phone, phone_status from int_phones_rejudged"
        )
    }
    assert rejudged == {
        "crm:C1": ("DE", "+49301234567", "valid"),
        "crm:C2": (None, None, "unverifiable"),
    }
    validity = checks(build, "phone", "invalid")
    assert validity["C1"] is False  # judged, and valid
    assert "C2" not in validity  # not judged: neither numerator nor denominator
    assert validity["C6"] is True  # a bad number of a known country is still invalid
    assert build.query(
        """select records_checked, defective_records from mart_defect_rate
        where source_system = 'crm' and source_name = 'all' and source_channel = 'all'
          and quality_dimension = 'validity' and defect_type = 'invalid' and field = 'phone'"""
    ) == [(5, 1)]
    # An unverifiable phone is present: no completeness defect either.
    assert checks(build, "phone", "missing")["C2"] is False


def test_an_unverifiable_phone_keeps_its_digits_for_matching(build):
    assert build.query(
        "select phone, phone_key, phone_status from int_person_records_standardized "
        "where record_key = 'crm:C2'"
    ) == [(None, "02217654321", "unverifiable")]


def test_real_names_are_not_missing_and_na_is_namibia(build):
    first, last = checks(build, "first_name", "missing"), checks(build, "last_name", "missing")
    assert (first["C3"], last["C3"], last["C4"]) == (False, False, False)
    assert build.query(
        "select first_name, last_name from int_person_records_standardized "
        "where record_key in ('crm:C3', 'crm:C4') order by record_key"
    ) == [("Nil", "Na"), ("Hans", "Null")]
    assert checks(build, "country", "missing")["C5"] is False
    assert checks(build, "country", "invalid")["C5"] is False
    assert (
        build.scalar(
            "select country from int_person_records_standardized where record_key = 'crm:C5'"
        )
        == "NA"
    )


def test_amounts_with_separators(build):
    amounts = dict(
        build.query("select order_id, amount from int_orders_standardized order by order_id")
    )
    assert amounts == {
        "O1": None,
        "O2": Decimal("1234.50"),
        "O3": Decimal("1234.50"),
        "O4": Decimal("12.50"),
        "O5": Decimal("12.50"),
    }
    assert build.query(
        """select source_record_id, raw_value from fct_data_quality_issues
        where source_system = 'orders' and field = 'amount'"""
    ) == [("O1", "1,234")]


@pytest.fixture(scope="module")
def strict_build(tmp_path_factory) -> DbtRun:
    """Only standardization and its checks, with a later birth-date floor."""
    root = tmp_path_factory.mktemp("awkward_settings")
    run = run_dbt(
        [
            "build",
            "--select",
            "+int_person_records_standardized",
            "+int_quality_checks_orders",
            "--indirect-selection",
            "cautious",
        ],
        _raw(root),
        root / "build",
        variables={"min_birth_date": "1950-01-01", "max_age_years": 100},
    )
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_min_birth_date_changes_which_birth_dates_are_invalid(strict_build):
    statuses = dict(
        strict_build.query(
            "select source_record_id, birth_date_status from int_person_records_standardized "
            "where source_system = 'crm'"
        )
    )
    assert statuses["C4"] == "invalid"  # born 1940, before min_birth_date 1950
    assert statuses["C3"] == "valid"


def test_orders_keep_their_own_earliest_date(strict_build):
    assert (
        strict_build.scalar(
            """select orders__validity__invalid__order_date from int_quality_checks_orders
        where source_record_id = 'O5'"""
        )
        is False
    )
