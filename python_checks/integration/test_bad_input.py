"""Bad input: the build takes what real exports throw at it, loses nothing and names problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_quality.ingest import RAW_CONTRACT
from crm_quality.standardize.names import name_key, standardize_name
from python_checks.dbt_runner import DbtRun, run_dbt
from python_checks.integration.conftest import RATE_MONITORS

pytestmark = pytest.mark.integration

LONG_VALUE = "A" * 100_000
# Beyond ASCII, so it takes the per-character lookups (split by number, not beside the text).
LONG_NON_ASCII_VALUE = "müller-lüdenscheidt " * 6_000
CRM_ROWS = [
    b"C1,web_form,Ren\xe9,M\xfcller,rene@example.de,+49 30 1234567,Hauptstr 1,Berlin,10115,DE,"
    b"1980-01-01,,2020-01-01,2025-01-01",  # Latin-1 bytes in a UTF-8 file
    b"C2,web_form,Nul\x00l,Byte,nul@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01",
    b'C3,web_form,"Unbalanced,Quote,uq@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01',
    b"C4,web_form,Too,Many,tm@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01,x,y",
    b"C5,web_form,Too,Few",
    b'C6,event,"Multi\nLine",Name,ml@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01',
    b"C7,import,"
    + LONG_VALUE.encode()
    + b","
    + LONG_NON_ASCII_VALUE.encode()
    + b",long@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01",
    b'C8,web_form,"=HYPERLINK(""http://x"")",+cmd,@SUM(1),,,,,DE,1980-01-01,,2020-01-01,2025-01-01',
    b"C9,web_form,Future,Born,fb@example.de,,,,,DE,2999-01-01,,2020-01-01,2025-01-01",
    b"C10,web_form,Old,Born,ob@example.de,,,,,DE,1850-01-01,,2020-01-01,2025-01-01",
    b",web_form,Empty,Id,ei@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01",
    b"C1,web_form,Repeated,Id,ri@example.de,,,,,DE,1980-01-01,,2020-01-01,2025-01-01",
]
BILLING_ROWS = [
    b"A1,Ren\xc3\xa9,M\xc3\xbcller,rene@example.de,+49 30 1234567,Hauptstr 1,Berlin,10115,DE,"
    b"1980-01-01,active,2019-01-01",
    b"A2,Ann,Lee,ann@example.com,,,,,US,1970-01-01,active,2019-01-01",
    b"A2,Bob,Lee,bob@example.com,,,,,US,1971-01-01,active,2019-01-01",
    b",Cy,Lee,cy@example.com,,,,,US,1972-01-01,active,2019-01-01",
    b'A9,"=HYPERLINK(""http://x"")",+cmd,evil@example.com,,@SUM(1),-x,,US,1969-01-01,active,2019-01-01',
]
ORDER_ROWS = [
    b"O1,A1,2026-01-01,10.50,EUR",
    b"O2,A1,2999-01-01,10.50,EUR",  # far future
    b"O3,A1,1850-01-01,10.50,EUR",  # before 1900
    b"O4,A1,2026-01-01,-5,EUR",  # negative amount
    b"O5,A1,2026-01-01,ten,EUR",  # not a number
    b"O6,A1,2026-01-01,10,XYZ",  # no such currency
    b"O6,A2,2026-01-01,10,USD",  # repeated id
    b",A2,2026-01-01,10,USD",  # empty id
    b"O8,NOPE,2026-01-01,10,USD",  # unknown account
    b"O9,A2,2026-01-01,10,USD,extra",  # too many fields
]


def write_raw(raw: Path, name: str, rows: list[bytes], bom: bool = False, crlf: bool = False):
    newline = b"\r\n" if crlf else b"\n"
    header = ",".join(RAW_CONTRACT[name]).encode()
    (raw / f"{name}.csv").write_bytes(
        (b"\xef\xbb\xbf" if bom else b"") + newline.join([header, *rows]) + newline
    )


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory) -> DbtRun:
    root = tmp_path_factory.mktemp("bad_input")
    raw = root / "raw"
    raw.mkdir()
    write_raw(raw, "crm_contacts", CRM_ROWS, bom=True, crlf=True)
    write_raw(raw, "billing_customers", BILLING_ROWS, crlf=True)
    write_raw(raw, "orders", ORDER_ROWS)
    run = run_dbt(["build", "--exclude", *RATE_MONITORS], raw, root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return run


def defects(run: DbtRun, source_system: str, key: str) -> int:
    dimension, defect_type, field = key.split("/")
    return run.scalar(
        f"""select defective_records from mart_defect_rate
        where source_system = '{source_system}' and source_name = 'all' and source_channel = 'all'
          and quality_dimension = '{dimension}' and defect_type = '{defect_type}'
          and field = '{field}'"""
    )


def test_every_raw_row_is_kept_or_quarantined(bad_build):
    counts = dict(
        bad_build.query(
            "select 'crm', count(*) from stg_crm__contacts union all "
            "select 'billing', count(*) from stg_billing__customers union all "
            "select 'orders', count(*) from stg_billing__orders union all "
            "select 'q_' || source_system, count(*) from int_raw_rows_quarantined group by 1"
        )
    )
    assert counts["crm"] + counts["q_crm"] == len(CRM_ROWS)
    assert counts["billing"] == len(BILLING_ROWS)
    assert counts["orders"] + counts["q_orders"] == len(ORDER_ROWS)


def test_unparseable_rows_are_quarantined_with_line_and_text(bad_build):
    rows = bad_build.query(
        "select file_name, line_number, quarantine_reason, raw_text from int_raw_rows_quarantined "
        "order by file_name, line_number"
    )
    assert rows == [
        ("crm_contacts.csv", 4, "unbalanced quotes", CRM_ROWS[2].decode()),
        ("crm_contacts.csv", 5, "expected 14 fields, found 16", CRM_ROWS[3].decode()),
        ("crm_contacts.csv", 6, "expected 14 fields, found 4", CRM_ROWS[4].decode()),
        ("orders.csv", 11, "expected 5 fields, found 6", ORDER_ROWS[9].decode()),
    ]
    assert defects(bad_build, "crm", "validity/unparseable/record") == 3
    assert defects(bad_build, "orders", "validity/unparseable/record") == 1


def test_repairable_rows_are_kept_and_flagged(bad_build):
    kept = dict(
        bad_build.query(
            "select source_record_id, first_name_raw || ' | ' || coalesce(load_issue, '') "
            "from stg_crm__contacts where contact_id in ('C1', 'C2', 'C6')"
        )
    )
    assert "René | non_utf8_bytes_decoded_as_latin1" in kept.values()
    assert kept["C2"] == "Null | nul_bytes_removed"
    assert kept["C6"] == "Multi\nLine | "
    assert bad_build.scalar(
        "select length(first_name_raw) from stg_crm__contacts where source_record_id = 'C7'"
    ) == len(LONG_VALUE)
    long_names = bad_build.query(
        "select first_name, last_name, last_name_key from int_person_records_standardized "
        "where source_system = 'crm' and source_record_id = 'C7'"
    )
    assert long_names == [
        (
            standardize_name(LONG_VALUE),
            standardize_name(LONG_NON_ASCII_VALUE),
            name_key(LONG_NON_ASCII_VALUE),
        )
    ]
    # The BOM did not leak into the first column name: ids were read.
    assert bad_build.scalar("select count(*) from stg_crm__contacts where contact_id = 'C9'") == 1


def test_bad_keys_dates_amounts_and_currencies_are_defects(bad_build):
    assert defects(bad_build, "crm", "completeness/missing/contact_id") == 1
    assert defects(bad_build, "crm", "uniqueness/duplicate_id/contact_id") == 1
    assert defects(bad_build, "crm", "validity/invalid/birth_date") == 2
    assert defects(bad_build, "billing", "completeness/missing/account_id") == 1
    assert defects(bad_build, "billing", "uniqueness/duplicate_id/account_id") == 1
    assert defects(bad_build, "orders", "completeness/missing/order_id") == 1
    assert defects(bad_build, "orders", "uniqueness/duplicate_id/order_id") == 1
    assert defects(bad_build, "orders", "validity/invalid/order_date") == 2
    assert defects(bad_build, "orders", "validity/invalid/amount") == 2
    assert defects(bad_build, "orders", "validity/invalid/currency") == 1
    assert defects(bad_build, "orders", "validity/invalid/account_id") == 1


def test_formula_values_are_neutralized_in_the_issue_export(bad_build):
    values = {
        row[0]
        for row in bad_build.query(
            "select raw_value from fct_data_quality_issues where source_record_id = 'C8'"
        )
    }
    assert "'@SUM(1)" in values  # an email that is a formula: invalid, and neutralized
    exported = bad_build.query("select raw_value from fct_data_quality_issues")
    assert not [v for (v,) in exported if v and v[0] in "=@" and not v.startswith("'")]


def test_missing_customer_worklist_is_formula_safe(bad_build):
    rows = bad_build.query(
        "select first_name, last_name, street_address, city, billing_account_ids "
        "from fct_missing_customers"
    )
    values = [value for row in rows for value in row if value]
    assert values, "the worklist should not be empty"
    assert not [v for v in values if v[0] in "=@+-\t\r" and not v.startswith("'")]
