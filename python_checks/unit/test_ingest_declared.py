"""sources.yml: declared sources checked against their files, presets resolved from headers,
and every mistake named by source, file and key or column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from crm_quality.ingest import RawInputError, declared_sources, sources_frame
from crm_quality.ingest.contract import RAW_CONTRACT
from python_checks.unit.fixtures.ingest.raw_dir import SOURCES_YML, make_raw_dir


def by_name(raw):
    return {source.name: source for source in declared_sources(raw)}


def test_without_sources_yml_the_three_contract_files_are_the_sources(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=None)
    sources = declared_sources(raw)
    assert [(s.role, s.name, s.file, s.preset) for s in sources] == [
        ("crm", "crm", "crm_contacts.csv", None),
        ("billing", "billing", "billing_customers.csv", None),
        ("orders", "orders", "orders.csv", None),
    ]
    assert sources[0].columns == {field: (field,) for field in RAW_CONTRACT["crm_contacts"]}
    assert sources[0].not_collected_fields == ()


def test_orders_may_be_declared_with_no_source(tmp_path):
    # A company without an orders export: no orders source, and no orders.csv is looked for.
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML + "orders: []\n")
    (raw / "orders.csv").unlink()
    sources = declared_sources(raw)
    assert [source.role for source in sources if source.role == "orders"] == []
    assert "orders" not in set(sources_frame(raw)["source_system"])


def test_orders_carry_the_account_ids_of_the_billing_source_they_name(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=None)
    # One billing source: every orders source's account ids are its.
    assert by_name(raw)["orders"].billing_source == "billing"
    (raw / "shop_billing.csv").write_bytes((raw / "billing_customers.csv").read_bytes())
    (raw / "sources.yml").write_text(
        "billing:\n  - {name: billing, file: billing_customers.csv}\n"
        "  - {name: shop_billing, file: shop_billing.csv}\n"
        "orders:\n  - {name: orders, file: orders.csv}\n"
        "  - {name: shop_orders, file: orders.csv, billing_source: shop_billing}\n"
    )
    sources = by_name(raw)
    # Several: as declared, else any billing source's.
    assert sources["shop_orders"].billing_source == "shop_billing"
    assert sources["orders"].billing_source is None
    assert sources["billing"].billing_source is None


def test_each_source_declares_how_its_slashed_dates_read(tmp_path):
    declared = SOURCES_YML.replace(
        "    preset: salesforce_contact\n",
        "    preset: salesforce_contact\n    date_order: month_first\n",
    ).replace("    channel: newsletter\n", "    channel: newsletter\n    date_order: day_first\n")
    declared += "orders:\n  - {name: orders, file: orders.csv, date_order: month_first}\n"
    raw = make_raw_dir(tmp_path, sources_yml=declared)
    orders = {source.name: source.date_order for source in declared_sources(raw)}
    assert orders == {
        "salesforce_contacts": "month_first",
        "salesforce_leads": None,  # the default: ambiguous slashed dates refused
        "hubspot": None,
        "hubspot_export": None,
        "newsletter": "day_first",
        "billing_main": None,
        "orders": "month_first",
    }
    frame = sources_frame(raw)
    declared_orders = frame.groupby("source_name")["date_order"].agg(lambda values: set(values))
    assert declared_orders["salesforce_contacts"] == {"month_first"}
    assert all(pd.isna(value) for value in declared_orders["hubspot"])


@pytest.mark.parametrize("value", ["us", "MM/DD/YYYY", "Month_First", "", 1, "[month_first]"])
def test_a_date_order_other_than_day_first_or_month_first_is_refused(tmp_path, value):
    entry = "    preset: salesforce_contact\n"
    declared = SOURCES_YML.replace(entry, f"{entry}    date_order: {value!r}\n")
    if value == "[month_first]":
        declared = SOURCES_YML.replace(entry, f"{entry}    date_order: [month_first]\n")
    raw = make_raw_dir(tmp_path, sources_yml=declared)
    with pytest.raises(RawInputError) as caught:
        declared_sources(raw)
    message = str(caught.value)
    assert message.startswith("source 'salesforce_contacts' (Contact.csv): date_order must be one")
    assert "day_first, month_first" in message
    assert f"CRM_RAW_DIR={str(raw)!r}" in message


def test_a_contract_file_in_csv_and_in_parquet_is_refused(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=None)
    (raw / "orders.parquet").write_bytes(b"")
    with pytest.raises(RawInputError, match=r"source 'orders': both orders.csv and orders.parquet"):
        declared_sources(raw)
    # Declared in sources.yml, the role reads the file named there.
    (raw / "sources.yml").write_text("orders:\n  - {name: orders, file: orders.csv}\n")
    assert by_name(raw)["orders"].file == "orders.csv"


def test_presets_resolve_against_the_file_header(tmp_path):
    raw = make_raw_dir(tmp_path)
    sources = by_name(raw)
    contacts, leads = sources["salesforce_contacts"], sources["salesforce_leads"]
    # Data Loader writes upper-case API names: matched case-insensitively.
    assert contacts.columns["phone"] == ("Phone", "MobilePhone", "HomePhone")
    assert contacts.deleted_column == "IsDeleted"
    assert contacts.channel_column == "LeadSource"
    assert "company_name" in contacts.not_collected_fields  # Account.Name lives on Account
    # The Lead export has no birth date column: not collected, not an error.
    assert "birth_date" not in leads.columns
    assert "birth_date" in leads.not_collected_fields
    assert leads.columns["company_name"] == ("Company",)
    assert (leads.converted_flag_column, leads.converted_id_column) == (
        "IsConverted",
        "ConvertedContactId",
    )
    assert leads.converts_to == "salesforce_contacts"  # the only salesforce_contact source
    assert sources["hubspot"].naming == "HubSpot internal property names"
    assert sources["hubspot"].columns["postal_code"] == ("zip",)
    assert sources["hubspot_export"].naming == "HubSpot export column labels"
    assert sources["hubspot_export"].columns["country"] == ("Country/Region",)
    assert sources["hubspot_export"].channel_column == "Original Source"
    newsletter = sources["newsletter"]
    assert newsletter.columns["phone"] == ("Telefon", "Mobil")
    assert newsletter.channel == "newsletter"
    assert "source_channel" in newsletter.collected_fields
    assert [s.name for s in declared_sources(raw)][-2:] == [
        "billing_main",
        "orders",  # orders absent from sources.yml: the contract file
    ]


def test_columns_beside_a_preset_map_what_the_preset_does_not(tmp_path):
    """A HubSpot export read with its preset, its Mobile Phone Number first and its Lifecycle
    Stage as the channel: the other fields keep the preset's columns."""
    entry = (
        "  - name: hubspot_export\n"
        "    file: hubspot_export.csv\n"
        "    preset: hubspot_contact\n"
        "    columns:\n"
        "      phone: [Mobile Phone Number, Phone Number]\n"
        "      source_channel: Lifecycle Stage\n"
    )
    raw = make_raw_dir(tmp_path, "crm:\n" + entry)
    source = by_name(raw)["hubspot_export"]
    assert source.columns["phone"] == ("Mobile Phone Number", "Phone Number")
    assert source.columns["source_channel"] == ("Lifecycle Stage",)
    assert source.columns["country"] == ("Country/Region",)  # the preset's
    assert source.naming == "HubSpot export column labels"


def test_sources_frame_says_which_fields_each_source_collects(tmp_path):
    frame = sources_frame(make_raw_dir(tmp_path))
    assert list(frame.columns) == [
        "source_system",
        "source_name",
        "source_file",
        "preset",
        "field",
        "file_columns",
        "is_collected",
        "converts_to",
        "billing_source",
        "date_order",
    ]
    rows = {(row.source_name, row.field): row for row in frame.itertuples(index=False)}
    assert len(frame) == 5 * 14 + 12 + 5
    assert rows[("salesforce_leads", "birth_date")].is_collected is False
    assert pd.isna(rows[("salesforce_leads", "birth_date")].file_columns)
    assert rows[("salesforce_leads", "phone")].file_columns == "Phone / MobilePhone"
    assert rows[("salesforce_leads", "phone")].converts_to == "salesforce_contacts"
    assert rows[("newsletter", "source_channel")].is_collected is True
    assert rows[("newsletter", "street_address")].is_collected is False
    assert rows[("billing_main", "account_id")].source_system == "billing"
    assert rows[("orders", "account_id")].billing_source == "billing_main"
    assert pd.isna(rows[("billing_main", "account_id")].billing_source)
    assert rows[("hubspot_export", "phone")].file_columns == "Phone Number / Mobile Phone Number"


NEWSLETTER_ENTRY = """\
  - name: newsletter
    file: newsletter.csv
"""


@pytest.mark.parametrize(
    ("sources_yml", "message"),
    [
        (
            "customers:\n  - {name: x, file: Contact.csv}\n",
            "sources.yml in CRM_RAW_DIR=.*: unknown role 'customers'; "
            "roles are crm, billing, orders",
        ),
        (
            "crm:\n  - {name: sf, file: Contact.csv, preset: salesforce_account}\n",
            r"source 'sf' \(Contact.csv\): unknown preset 'salesforce_account'; "
            "known: hubspot_contact, salesforce_contact, salesforce_lead",
        ),
        (
            "billing:\n  - {name: b, file: billing_customers.csv, preset: salesforce_contact}\n",
            r"source 'b' \(billing_customers.csv\): unknown preset 'salesforce_contact'; "
            "known: none",
        ),
        (
            "crm:\n  - {name: Salesforce-Contacts, file: Contact.csv, "
            "preset: salesforce_contact}\n",
            r"source 'Salesforce-Contacts' \(Contact.csv\): name must be lowercase",
        ),
        (
            "crm:\n  - {name: all, file: Contact.csv, preset: salesforce_contact}\n",
            r"source 'all' \(Contact.csv\): 'all' names the rollups over sources",
        ),
        (
            "crm:\n  - {name: billing, file: Contact.csv, preset: salesforce_contact}\n",
            r"source 'billing' \(billing_customers.csv\): name is used by another source",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1) + "    columns: {e_mail: E-Mail}\n",
            r"source 'newsletter' \(newsletter.csv\): columns: 'e_mail' is not a contract field "
            "of crm; fields are: contact_id, ",
        ),
        (
            "crm:\n  - {name: sf, file: Contact.csv, preset: salesforce_contact, "
            "columns: {e_mail: Email}}\n",
            r"source 'sf' \(Contact.csv\): columns: 'e_mail' is not a contract field of crm",
        ),
        (
            "crm:\n  - {name: sf, file: Contact.csv, preset: salesforce_contact, "
            "columns: {updated_at: Last Activity}}\n",
            r"source 'sf' \(Contact.csv\): column 'Last Activity' not found",
        ),
        (
            "crm:\n  - {name: sf, file: Kontakte.csv, preset: salesforce_contact}\n",
            r"source 'sf' \(Kontakte.csv\): file not found",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1)
            + "    columns: {email: E-Mail, last_name: [Name, Nachname]}\n",
            r"source 'newsletter' \(newsletter.csv\): column 'Name' not found; the file has: "
            "e-mail, vorname, nachname, anmeldedatum, telefon, mobil",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1)
            + "    columns: {email: E-Mail}\n    channel_column: Kanal\n",
            r"source 'newsletter' \(newsletter.csv\): column 'Kanal' not found",
        ),
        (
            "crm:\n  - {name: hs, file: newsletter.csv, preset: hubspot_contact}\n",
            r"source 'hs' \(newsletter.csv\): column 'hs_object_id' or 'id' or 'Record ID' not "
            "found; the file has: e-mail",
        ),
        (
            "crm:\n  - {name: leads, file: Lead.csv, preset: salesforce_lead, converts_to: sf}\n",
            r"source 'leads' \(Lead.csv\): converts_to 'sf' is not another crm source",
        ),
        (
            "crm:\n  - {name: a, file: Contact.csv, preset: salesforce_contact}\n"
            "  - {name: b, file: Contact.csv, preset: salesforce_contact}\n"
            "  - {name: leads, file: Lead.csv, preset: salesforce_lead}\n",
            r"source 'leads' \(Lead.csv\): several salesforce_contact sources \(a, b\); "
            "say which one with converts_to",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1)
            + "    columns: {email: E-Mail}\n    channel: web\n    channel_column: Vorname\n",
            r"source 'newsletter' \(newsletter.csv\): give either channel or channel_column",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1) + "    colums: {email: E-Mail}\n",
            r"source 'newsletter' \(newsletter.csv\): unknown key\(s\) colums",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1)
            + "    columns: {email: E-Mail, source_channel: Vorname}\n    channel: web\n",
            r"source 'newsletter' \(newsletter.csv\): give either channel or a source_channel",
        ),
        (
            NEWSLETTER_ENTRY.replace("  - ", "crm:\n  - ", 1)
            + "    columns: {email: E-Mail}\n    converts_to: newsletter\n",
            r"source 'newsletter' \(newsletter.csv\): converts_to needs a converted_id_column",
        ),
        (
            "billing:\n  - {name: b, file: newsletter.csv}\n",
            r"source 'b' \(newsletter.csv\): column 'account_id' not found",
        ),
        (
            "crm: []\n",
            "sources.yml in CRM_RAW_DIR=.*: 'crm' must list at least one source "
            r"\(only orders: \[\] may be empty\)",
        ),
        (
            "billing: {name: b, file: billing_customers.csv}\n",
            "'billing' must be a list of sources",
        ),
        (
            "orders:\n  - {name: o, file: orders.csv, billing_source: shop}\n",
            r"source 'o' \(orders.csv\): billing_source 'shop' is not a billing source; "
            "billing sources are: billing",
        ),
        (
            "crm:\n  - {name: sf, file: Contact.csv, preset: salesforce_contact, "
            "billing_source: billing}\n",
            r"source 'sf' \(Contact.csv\): billing_source belongs to orders sources",
        ),
    ],
)
def test_mistakes_are_named_by_source_file_and_key(tmp_path, sources_yml, message):
    raw = make_raw_dir(tmp_path, sources_yml=sources_yml)
    with pytest.raises(RawInputError, match=message) as caught:
        declared_sources(raw)
    assert f"CRM_RAW_DIR={str(raw)!r}" in str(caught.value)


def test_a_preset_file_without_any_person_column_is_refused(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML)
    (raw / "Lead.csv").write_text("Id,Company,IsConverted\n00Q1,Acme,false\n", encoding="utf-8")
    with pytest.raises(
        RawInputError,
        match=re.escape("source 'salesforce_leads' (Lead.csv): none of the columns 'FirstName'"),
    ):
        declared_sources(raw)


# German Excel's "CSV (Trennzeichen-getrennt)" of a sheet with two phone columns of one name.
KONTAKTE = (
    "Kundennr;Vorname;Name;E-Mail;Telefon;TELEFON ;Ort\r\n"
    "1000;Änne;Groß;anne@example.de;;0170 1111111;Berlin\r\n"
).encode("cp1252")


def test_a_mapped_column_the_header_repeats_is_refused_naming_both_positions(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=None)
    (raw / "Kontakte.csv").write_bytes(KONTAKTE)
    entry = "crm:\n  - name: excel\n    file: Kontakte.csv\n    columns: {email: E-Mail, %s}\n"
    (raw / "sources.yml").write_text(entry % "phone: Telefon", encoding="utf-8")
    with pytest.raises(RawInputError) as caught:
        declared_sources(raw)
    assert str(caught.value) == (
        "source 'excel' (Kontakte.csv): column 'Telefon' is ambiguous: the file has 2 columns "
        "of that name (ignoring case and surrounding spaces), columns 5 and 6 (E and F); "
        "rename one (say to 'Telefon 2') and map the one you mean, or both as a list: "
        f"[Telefon, Telefon 2] (the first non-blank wins) (CRM_RAW_DIR={str(raw)!r})"
    )
    # A repeated column nobody maps is no concern.
    (raw / "sources.yml").write_text(entry % "first_name: Vorname", encoding="utf-8")
    assert by_name(raw)["excel"].columns == {"first_name": ("Vorname",), "email": ("E-Mail",)}


def test_a_preset_column_the_header_repeats_is_refused(tmp_path):
    raw = make_raw_dir(tmp_path)
    contact = (raw / "Contact.csv").read_text(encoding="utf-8")
    # Phone (13th) again in the place of HomePhone (15th).
    (raw / "Contact.csv").write_text(contact.replace('"HOMEPHONE"', '"Phone"', 1), encoding="utf-8")
    with pytest.raises(
        RawInputError,
        match=re.escape(
            "source 'salesforce_contacts' (Contact.csv): column 'Phone' is ambiguous: the file "
            "has 2 columns of that name (ignoring case and surrounding spaces), columns 13 and "
            "15 (M and O)"
        ),
    ):
        declared_sources(raw)


@pytest.mark.parametrize(
    ("header", "example"),
    [
        # A Salesforce report's column labels (Reports tab, Export, "Details Only").
        (
            '"Contact ID","First Name","Last Name","Email","Mailing Street"',
            "columns: {contact_id: Contact ID, email: Email}",
        ),
        ("Kontakt-ID;Vorname;Nachname;E-Mail", "columns: {contact_id: Kontakt-ID, email: E-Mail}"),
        # No id and no e-mail column: the first column; a name YAML would misread is quoted.
        ("Nr: intern;Vorname", 'columns: {contact_id: "Nr: intern"}'),
    ],
)
def test_a_preset_on_another_layout_says_how_to_map_it(tmp_path, header, example):
    raw = make_raw_dir(tmp_path)
    (raw / "Contact.csv").write_text(header + "\n", encoding="utf-8")
    with pytest.raises(RawInputError) as caught:
        declared_sources(raw)
    message = str(caught.value)
    assert message.startswith(
        "source 'salesforce_contacts' (Contact.csv): column 'Id' or 'id' not found; the file has: "
    )
    assert (
        "This looks like a different layout from those preset 'salesforce_contact' reads "
        "(Salesforce API field names; Salesforce field names in snake_case (Fivetran)), such as "
        "a report or a translated export. A `columns:` mapping instead of the preset reads any "
        f"header, one entry per contract field: `{example}`"
    ) in message
