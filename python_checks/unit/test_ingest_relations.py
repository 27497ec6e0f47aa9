"""Sources already in the warehouse (sources.yml `relation: schema.table`), on DuckDB: their
rows load into the raw tables as text, beside file sources of the same role, and every
mistake is named by source, relation and warehouse. PostgreSQL: test_relation_sources.py."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
import yaml

from crm_quality.ingest import RawInputError, declared_sources
from crm_quality.ingest.__main__ import main as ingest_main
from crm_quality.ingest.dbt_declarations import SOURCES_PATH, render_sources_yml
from crm_quality.ingest.raw_tables import duckdb_catalog, load_into_duckdb
from python_checks.unit.fixtures.ingest.raw_dir import make_raw_dir

# A CRM table as a sync tool lands it: typed columns, mixed-case names, nulls.
LANDED = """
    create schema landing;
    create table landing."Web_Signups" (
        "SignupId" integer, "EMail" varchar, "First" varchar, "Last" varchar,
        "SignedUpAt" timestamp, "Opted" boolean
    );
    insert into landing."Web_Signups" values
        (7, 'ada@example.com', 'Ada', 'Lovelace', '2024-03-01 09:30:00', true),
        (8, null, ' Alan ', 'Turing', null, false);
"""
SOURCES_YML = """\
crm:
  - {name: salesforce_contacts, file: Contact.csv, preset: salesforce_contact}
  - name: web_signups
    relation: landing.web_signups
    columns: {contact_id: SignupId, email: email, first_name: First, last_name: Last,
              created_at: SignedUpAt}
    channel: web_form
billing:
  - {name: billing_main, file: billing_customers.csv}
"""


def landed_warehouse(path: Path) -> Path:
    with closing(duckdb.connect(str(path))) as connection:
        connection.execute(LANDED)
    return path


def raw_rows(warehouse: Path, sql: str) -> list[tuple]:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as connection:
        return connection.execute(sql).fetchall()


def declared_in(raw: Path, warehouse: Path):
    with closing(duckdb.connect(str(warehouse))) as connection:
        return declared_sources(raw, duckdb_catalog(connection, warehouse))


def test_a_relation_loads_as_text_beside_the_files_of_its_role(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    warehouse = landed_warehouse(tmp_path / "warehouse.duckdb")
    load_into_duckdb(raw, warehouse)
    rows = raw_rows(
        warehouse,
        "select contact_id, email, first_name, created_at, source_channel, source_file,"
        " _row_number, _is_quarantined from main_restricted.raw_crm_records"
        " where source_name = 'web_signups' order by contact_id",
    )
    assert rows == [
        ("7", "ada@example.com", "Ada", "2024-03-01 09:30:00", "web_form",
         "landing.Web_Signups", rows[0][6], False),
        ("8", None, " Alan ", None, "web_form", "landing.Web_Signups", rows[1][6], False),
    ]  # fmt: skip
    assert sorted(row[6] for row in rows) == [1, 2]
    sources = raw_rows(
        warehouse,
        "select distinct source_name from main_restricted.raw_crm_records order by 1",
    )
    assert sources == [("salesforce_contacts",), ("web_signups",)]
    fields = raw_rows(
        warehouse,
        "select field, file_columns, is_collected from main_restricted.raw_source_fields"
        " where source_name = 'web_signups' and field in ('email', 'phone') order by field",
    )
    assert fields == [("email", "email", True), ("phone", None, False)]


def test_dbt_is_told_the_relation_not_a_file(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    warehouse = landed_warehouse(tmp_path / "warehouse.duckdb")
    sources = declared_in(raw, warehouse)
    rendered = render_sources_yml(sources)
    assert "relation: landing.Web_Signups" in rendered
    assert "The warehouse relation landing.Web_Signups, read with a columns mapping." in rendered
    signups = next(source for source in sources if source.name == "web_signups")
    assert signups.file is None and signups.origin == "landing.Web_Signups"


FRESHNESS = "{warn_after: {count: 1, period: day}, error_after: {count: 7, period: day}}"


def declared_table(raw: Path, warehouse: Path, name: str) -> tuple[dict, dict]:
    """The dbt source holding the declared source `name`, and its table there."""
    rendered = yaml.safe_load(render_sources_yml(declared_in(raw, warehouse)))
    return next(
        (source, table)
        for source in rendered["sources"]
        for table in source["tables"]
        if table["name"] == name
    )


@pytest.mark.parametrize(
    ("extra", "loaded_at"),
    [
        ("updated_at: SignedUpAt}", '"SignedUpAt"'),  # the column updated_at maps, by default
        ("created_at: First}, loaded_at_column: signedupat", '"SignedUpAt"'),
    ],
)
def test_dbt_source_freshness_reads_the_relation(tmp_path, extra, loaded_at):
    raw = make_raw_dir(
        tmp_path,
        sources_yml="crm:\n  - {name: w, relation: landing.web_signups, columns: {email: EMail, "
        f"{extra}, freshness: {FRESHNESS}}}\n",
    )
    source, table = declared_table(raw, landed_warehouse(tmp_path / "warehouse.duckdb"), "w")
    assert (source["name"], source["schema"], table["identifier"]) == (
        "landing",
        "landing",
        "Web_Signups",
    )
    assert table["loaded_at_field"] == loaded_at
    assert table["freshness"] == {
        "warn_after": {"count": 1, "period": "day"},
        "error_after": {"count": 7, "period": "day"},
    }


def test_a_file_source_stays_lineage_only_a_relation_is_reached(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    warehouse = landed_warehouse(tmp_path / "warehouse.duckdb")
    source, table = declared_table(raw, warehouse, "salesforce_contacts")
    assert source["name"] == "crm" and "schema" not in source
    assert not {"identifier", "loaded_at_field", "freshness"} & set(table)
    source, signups = declared_table(raw, warehouse, "web_signups")
    assert (source["name"], source["schema"], signups["identifier"]) == (
        "landing",
        "landing",
        "Web_Signups",
    )
    assert "freshness" not in signups and "loaded_at_field" not in signups


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: w, relation: landing.nowhere, columns: {email: EMail}}",
            r"source 'w' \(landing.nowhere\): relation not found in the DuckDB warehouse '.*'",
        ),
        (
            "{name: w, relation: web_signups, columns: {email: EMail}}",
            r"source 'w' \(web_signups\): relation 'web_signups' must be schema.table",
        ),
        (
            "{name: w, relation: landing.web_signups, columns: {email: Mail}}",
            r"column 'Mail' not found; the relation has: signupid, email, first, last,"
            r" signedupat, opted",
        ),
        (
            "{name: w, relation: landing.web_signups, file: Contact.csv}",
            r"source 'w' \(Contact.csv\): give either file or relation, not both",
        ),
        (
            "{name: w, relation: landing.web_signups, preset: hubspot_contact}",
            r"column 'hs_object_id' or 'id' or 'Record ID' not found; the relation has: signupid",
        ),
        (
            f"{{name: w, file: Contact.csv, preset: salesforce_contact, freshness: {FRESHNESS}}}",
            r"source 'w' \(Contact.csv\): freshness and loaded_at_column need a relation",
        ),
        (
            f"{{name: w, relation: landing.web_signups, columns: {{email: EMail}},"
            f" freshness: {FRESHNESS}}}",
            r"freshness needs a loaded_at_column: the source maps no updated_at",
        ),
        (
            f"{{name: w, relation: landing.web_signups, columns: {{email: EMail}},"
            f" loaded_at_column: EMail, freshness: {FRESHNESS}}}",
            r"column 'EMail' is varchar: dbt source freshness needs a timestamp column",
        ),
        (
            "{name: w, relation: landing.web_signups, columns: {email: EMail},"
            " loaded_at_column: SignedUpAt, freshness: daily}",
            r"freshness must be dbt's freshness block \(warn_after, error_after\), got 'daily'",
        ),
        (
            "{name: w, relation: landing.web_signups, columns: {email: EMail},"
            " loaded_at_column: Synced}",
            r"column 'Synced' not found; the relation has: signupid",
        ),
    ],
)
def test_mistakes_name_the_source_and_its_relation(tmp_path, entry, message):
    raw = make_raw_dir(tmp_path, sources_yml=f"crm:\n  - {entry}\n")
    warehouse = landed_warehouse(tmp_path / "warehouse.duckdb")
    with pytest.raises(RawInputError, match=message):
        declared_in(raw, warehouse)


def test_a_relation_needs_the_warehouse(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    with pytest.raises(
        RawInputError,
        match=re.escape("source 'web_signups' (landing.web_signups): a relation is read from"),
    ):
        declared_sources(raw)


def test_make_declare_reads_the_relation_from_the_warehouse_file(tmp_path, capsys):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    warehouse = landed_warehouse(tmp_path / "warehouse.duckdb")
    out = tmp_path / "declared"
    arguments = ["declare", "--raw-dir", str(raw), "--out", str(out), "--target", "duckdb"]
    # Read-only: a BI tool holding the published file keeps it.
    with closing(duckdb.connect(str(warehouse), read_only=True)):
        assert ingest_main([*arguments, "--duckdb-path", str(warehouse)]) == 0
    assert "relation: landing.Web_Signups" in (out / SOURCES_PATH).read_text(encoding="utf-8")
    missing = tmp_path / "no-such.duckdb"
    assert ingest_main([*arguments, "--duckdb-path", str(missing)]) == 1
    assert "relation not found in the DuckDB warehouse" in capsys.readouterr().err
    assert not missing.exists()


# Salesforce as Fivetran lands it: snake_case columns, typed values (its dbt_salesforce_source
# package's column lists).
FIVETRAN = """
    create schema salesforce;
    create table salesforce.contact (
        id varchar, first_name varchar, last_name varchar, email varchar, phone varchar,
        mobile_phone varchar, mailing_street varchar, mailing_city varchar,
        mailing_postal_code varchar, mailing_country varchar, birthdate date,
        created_date timestamp, last_modified_date timestamp, lead_source varchar,
        is_deleted boolean, _fivetran_synced timestamp
    );
    insert into salesforce.contact values
        ('003A', 'Ada', 'Lovelace', 'ada@example.com', null, '+44 20 7946 0000', '1 Main St',
         'London', 'SW1A 1AA', 'United Kingdom', '1815-12-10', '2024-01-02 03:04:05',
         '2024-02-02 03:04:05', 'Web', false, '2024-06-01'),
        ('003B', 'Old', 'Record', null, null, null, null, null, null, null, null,
         '2020-01-01', '2020-01-01', null, true, '2024-06-01');
    create table salesforce.lead (
        id varchar, first_name varchar, last_name varchar, email varchar, company varchar,
        street varchar, city varchar, postal_code varchar, country varchar,
        created_date timestamp, last_modified_date timestamp, lead_source varchar,
        is_deleted boolean, is_converted boolean, converted_contact_id varchar
    );
    insert into salesforce.lead values
        ('00QA', 'Ada', 'Lovelace', 'ada@example.com', 'Analytical Engines', null, 'London',
         null, 'UK', '2023-12-01', '2024-01-02', 'Event', false, true, '003A');
"""
FIVETRAN_SOURCES = """\
crm:
  - {name: sf_contacts, relation: salesforce.contact, preset: salesforce_contact}
  - {name: sf_leads, relation: salesforce.lead, preset: salesforce_lead}
billing:
  - {name: billing_main, file: billing_customers.csv}
"""


def test_salesforce_as_fivetran_lands_it_reads_with_the_presets(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=FIVETRAN_SOURCES)
    warehouse = tmp_path / "warehouse.duckdb"
    with closing(duckdb.connect(str(warehouse))) as connection:
        connection.execute(FIVETRAN)
    contacts, leads = (source for source in declared_in(raw, warehouse) if source.role == "crm")
    assert contacts.naming == leads.naming == "Salesforce field names in snake_case (Fivetran)"
    assert contacts.columns["postal_code"] == ("mailing_postal_code",)
    assert contacts.columns["phone"] == ("phone", "mobile_phone")  # no home_phone landed
    assert (contacts.deleted_column, contacts.channel_column) == ("is_deleted", "lead_source")
    assert (leads.converted_id_column, leads.converts_to) == ("converted_contact_id", "sf_contacts")
    load_into_duckdb(raw, warehouse)
    rows = raw_rows(
        warehouse,
        "select contact_id, phone, postal_code, birth_date, source_channel, is_deleted,"
        " is_converted, converted_contact_id from main_restricted.raw_crm_records"
        " order by contact_id",
    )
    assert rows == [
        ("003A", "+44 20 7946 0000", "SW1A 1AA", "1815-12-10", "Web", "false", None, None),
        ("003B", None, None, None, None, "true", None, None),
        ("00QA", None, None, None, "Event", "false", "true", "003A"),
    ]


@pytest.mark.parametrize(
    ("prefix", "deleted", "naming"),
    [
        ("property_", "_fivetran_deleted", "HubSpot properties as Fivetran lands them"),
        ("properties_", None, "HubSpot properties as Airbyte lands them"),
    ],
)
def test_hubspot_as_connectors_land_it_reads_with_the_preset(tmp_path, prefix, deleted, naming):
    raw = make_raw_dir(
        tmp_path,
        sources_yml="crm:\n  - {name: hs, relation: hubspot.contact, preset: hubspot_contact}\n",
    )
    warehouse = tmp_path / "warehouse.duckdb"
    flag = f", {deleted} boolean" if deleted else ""
    with closing(duckdb.connect(str(warehouse))) as connection:
        connection.execute(
            "create schema hubspot;"
            f" create table hubspot.contact (id bigint, {prefix}firstname varchar,"
            f" {prefix}email varchar, {prefix}zip varchar, {prefix}hs_analytics_source varchar"
            f"{flag});"
            f" insert into hubspot.contact values (51, 'Ada', 'ada@example.com', '10115', 'DIRECT'"
            f"{', true' if deleted else ''})"
        )
    (source,) = (source for source in declared_in(raw, warehouse) if source.role == "crm")
    assert source.naming.startswith(naming)
    assert source.columns["postal_code"] == (f"{prefix}zip",)
    assert source.deleted_column == deleted
    load_into_duckdb(raw, warehouse)
    assert raw_rows(
        warehouse,
        "select contact_id, first_name, postal_code, source_channel, is_deleted"
        " from main_restricted.raw_crm_records",
    ) == [("51", "Ada", "10115", "DIRECT", "true" if deleted else None)]
