"""Bad input in declared sources: what the bad-input suite guarantees for the contract files
(quarantine with line and text, conservation, formula neutralization) holds for a Salesforce
export and a Windows-1252 semicolon list too, each named by its source; a Salesforce report's
footer is accounted for but is no record."""

from __future__ import annotations

import pytest

from crm_quality.ingest import RAW_CONTRACT
from python_checks.dbt_runner import DbtRun, run_dbt
from python_checks.integration.conftest import RATE_MONITORS
from python_checks.unit.fixtures.ingest.raw_dir import SALESFORCE_REPORT_FOOTER

pytestmark = pytest.mark.integration

SOURCES_YML = """\
crm:
  - {name: salesforce_contacts, file: Contact.csv, preset: salesforce_contact}
  - name: newsletter
    file: newsletter.csv
    columns: {email: E-Mail, first_name: Vorname, last_name: Nachname, created_at: Anmeldedatum}
    channel: newsletter
  - name: sf_report
    file: report1765012345678.csv
    columns:
      contact_id: Contact ID
      first_name: First Name
      last_name: Last Name
      email: Email
    channel: report
"""
CONTACT_HEADER = (
    '"Id","IsDeleted","FirstName","LastName","MailingCountry","Phone","MobilePhone","Email",'
    '"Birthdate","LeadSource","CreatedDate","LastModifiedDate"'
)
CONTACT_ROWS = [
    '"0031","false","Anna","Schmidt","DE","","+49 151 2345678","anna@example.de","1980-01-01",'
    '"Web","2024-03-01T10:15:00.000Z","2025-01-02T08:00:00.000Z"',
    '"0032","false","=HYPERLINK(""http://x"")","Evil","DE","","","@SUM(1)","1980-01-01","Web",'
    '"2024-03-01T10:15:00.000Z",""',
    '"0033","true","Deleted","Person","DE","","","gone@example.de","","Web",'
    '"2024-03-01T10:15:00.000Z",""',
    '"0034","false","Unbalanced,"Quote","DE","","","uq@example.de","","Web","",""',
]
NEWSLETTER_ROWS = [
    "jörg@example.de;Jörg;Weiß;01.02.2024",
    "=cmd|' /C calc'!A0;Zoë;Öztürk;01.02.2024",
    "too@example.de;Too;Many;01.02.2024;extra",
]
REPORT_LINES = [
    '"Contact ID","First Name","Last Name","Email","Created Date"',
    '"0035","Lena","Davies","lena@example.com","2024-03-01"',
    '"0036","David","Smith","david@example.com","2024-03-02"',
    *SALESFORCE_REPORT_FOOTER,
]
BILLING_ROWS = ["A1,Anna,Schmidt,anna@example.de,,,,,DE,1980-01-01,active,2019-01-01"]
ORDER_ROWS = ["O1,A1,2026-01-01,10.50,EUR"]


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory) -> DbtRun:
    root = tmp_path_factory.mktemp("bad_sources")
    raw = root / "raw"
    raw.mkdir()
    (raw / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    (raw / "Contact.csv").write_text(
        "\n".join([CONTACT_HEADER, *CONTACT_ROWS]) + "\n", encoding="utf-8"
    )
    (raw / "newsletter.csv").write_bytes(
        "\r\n".join(["E-Mail;Vorname;Nachname;Anmeldedatum", *NEWSLETTER_ROWS, ""]).encode("cp1252")
    )
    (raw / "report1765012345678.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\n".join(REPORT_LINES) + "\n").encode("utf-8")
    )
    for name, rows in (("billing_customers", BILLING_ROWS), ("orders", ORDER_ROWS)):
        (raw / f"{name}.csv").write_text(
            "\n".join([",".join(RAW_CONTRACT[name]), *rows]) + "\n", encoding="utf-8"
        )
    run = run_dbt(["build", "--exclude", *RATE_MONITORS], raw, root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_every_row_of_every_source_is_kept_or_quarantined(bad_build):
    counts = dict(
        bad_build.query(
            "select source_name, count(*) from stg_crm__contacts group by source_name "
            "union all select 'quarantined:' || source_name, count(*) "
            "from int_raw_rows_quarantined group by source_name"
        )
    )
    assert counts["salesforce_contacts"] + counts["quarantined:salesforce_contacts"] == len(
        CONTACT_ROWS
    )
    assert counts["newsletter"] + counts["quarantined:newsletter"] == len(NEWSLETTER_ROWS)


def test_unparseable_rows_are_quarantined_with_source_line_and_text(bad_build):
    rows = bad_build.query(
        "select source_name, file_name, line_number, raw_text from int_raw_rows_quarantined "
        "where is_record order by source_name, line_number"
    )
    assert rows == [
        ("newsletter", "newsletter.csv", 4, NEWSLETTER_ROWS[2]),
        ("salesforce_contacts", "Contact.csv", 5, CONTACT_ROWS[3]),
    ]
    by_source = dict(
        bad_build.query(
            "select source_name, defective_records from mart_defect_rate "
            "where quality_dimension = 'validity' and defect_type = 'unparseable' "
            "and source_system = 'crm' and source_channel = 'all'"
        )
    )
    assert by_source == {"all": 2, "newsletter": 1, "salesforce_contacts": 1, "sf_report": 0}


def test_a_report_footer_is_accounted_for_but_no_record(bad_build):
    footer = bad_build.query(
        "select line_number, quarantine_reason, raw_text from int_raw_rows_quarantined "
        "where source_name = 'sf_report' and not is_record order by line_number"
    )
    assert footer == [
        (number, "report footer", line)
        for number, line in enumerate(REPORT_LINES, start=1)
        if number > 3 and line != '""'
    ]
    assert bad_build.query(
        "select contact_id from stg_crm__contacts where source_name = 'sf_report' order by 1"
    ) == [("0035",), ("0036",)]
    # Two records checked, none unparseable: the footer is neither a record nor a defect.
    checked = bad_build.query(
        "select quality_dimension, records_checked, defective_records from mart_defect_rate "
        "where source_name = 'sf_report' and source_channel = 'all' "
        "and (quality_dimension = 'all' or defect_type = 'unparseable')"
    )
    assert {(dimension, records) for dimension, records, _ in checked} == {
        ("all", 2),
        ("validity", 2),
    }
    assert [defects for dimension, _, defects in checked if dimension == "validity"] == [0]


def test_a_source_without_timestamps_is_not_judged_on_timeliness(bad_build):
    """The report maps neither created_at nor updated_at: its records have no last touch to
    judge, so timeliness checks none of them. The build's own test of the denominators
    (assert_defect_rate_denominators_count_every_record) expected every record there and
    failed the build (bad_build asserts it passes)."""
    checked = dict(
        bad_build.query(
            "select source_name, sum(records_checked) from mart_defect_rate "
            "where source_channel = 'all' and quality_dimension = 'timeliness' group by 1"
        )
    )
    assert checked.get("sf_report", 0) == 0 and checked["salesforce_contacts"] > 0


def test_windows_1252_values_arrive_intact(bad_build):
    names = {
        row[0]
        for row in bad_build.query(
            "select first_name_raw || ' ' || last_name_raw from stg_crm__contacts "
            "where source_name = 'newsletter'"
        )
    }
    assert names == {"Jörg Weiß", "Zoë Öztürk"}


def test_a_deleted_row_is_counted_but_in_no_figure(bad_build):
    assert bad_build.scalar("select count(*) from stg_crm__contacts where is_deleted") == 1
    assert bad_build.scalar("select count(*) from customer_xref where source_id = '0033'") == 0
    assert (
        bad_build.scalar(
            "select records_checked from mart_defect_rate "
            "where source_name = 'salesforce_contacts' "
            "and source_channel = 'all' and quality_dimension = 'all'"
        )
        == 3
    )  # two live rows and the quarantined one


def test_formula_values_are_neutralized_for_every_source(bad_build):
    exported = bad_build.query("select source_name, raw_value from fct_data_quality_issues")
    values = {value for _, value in exported}
    assert "'@SUM(1)" in values  # the Salesforce e-mail
    assert "'=cmd|' /C calc'!A0" in values  # the newsletter e-mail
    assert not [v for _, v in exported if v and v[0] in "=@" and not v.startswith("'")]
