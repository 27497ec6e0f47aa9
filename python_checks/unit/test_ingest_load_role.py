"""load_role: every row of every declared source of a role, in the contract's columns."""

from __future__ import annotations

import codecs

import duckdb
import pandas as pd
import pytest

from crm_quality.ingest import RawInputError, load_raw_table, load_role, role_columns
from crm_quality.ingest.contract import ROLE_TABLES
from python_checks.unit.fixtures.ingest.raw_dir import SOURCES_YML, make_raw_dir


def rows(relation) -> pd.DataFrame:
    frame = relation.df() if isinstance(relation, duckdb.DuckDBPyRelation) else relation
    return frame.astype(object).where(frame.notna(), None)


@pytest.fixture
def crm(tmp_path) -> pd.DataFrame:
    relation = load_role(duckdb.connect(), make_raw_dir(tmp_path), "crm")
    assert tuple(relation.columns) == role_columns("crm")
    return rows(relation)


def record(frame: pd.DataFrame, source: str, row_number: int) -> dict:
    match = frame[(frame["source_name"] == source) & (frame["_row_number"] == row_number)]
    assert len(match) == 1
    return match.iloc[0].to_dict()


def test_every_row_of_every_source_is_there_once(crm):
    # Conservation per source: data rows in the file = rows returned, numbered 1..n.
    counts = crm.groupby("source_name")["_row_number"].agg(list).to_dict()
    assert counts == {
        "salesforce_contacts": [1, 2, 3],
        "salesforce_leads": [1, 2, 3],
        "hubspot": [1, 2],
        "hubspot_export": [1, 2],
        "newsletter": [1, 2, 3],
    }


def test_salesforce_contact_export(crm):
    john = record(crm, "salesforce_contacts", 1)
    assert john["contact_id"] == "0035g00000AbCdEAAV"
    assert john["phone"] == "+1 217 555 0100"  # Phone blank: MobilePhone
    assert john["street_address"] == "1 Main St\nSuite 4"
    assert john["created_at"] == "2024-03-01T10:15:00.000Z"  # raw; staging parses
    assert john["source_channel"] == "Web"
    assert john["company_name"] is None
    assert (john["is_deleted"], john["is_converted"], john["converted_source_name"]) == (
        "false",
        None,
        None,
    )
    assert record(crm, "salesforce_contacts", 2)["is_deleted"] == "true"
    # A clean UTF-8 export went through DuckDB's fast reader (which leaves line numbers null).
    assert crm.loc[crm["source_name"] == "salesforce_contacts", "_line_number"].isna().all()
    assert record(crm, "salesforce_contacts", 1)["source_file"] == "Contact.csv"


def test_salesforce_lead_export(crm):
    lead = record(crm, "salesforce_leads", 1)
    assert (lead["is_converted"], lead["converted_contact_id"]) == ("true", "0035g00000AbCdEAAV")
    assert lead["converted_source_name"] == "salesforce_contacts"
    assert lead["birth_date"] is None  # the Lead export has no birth date column
    assert lead["company_name"] == "Acme Corp"
    assert record(crm, "salesforce_leads", 2)["company_name"] == "Lee, Kim & Co"
    assert record(crm, "salesforce_leads", 3)["is_deleted"] == "true"


def test_hubspot_exports_in_both_vocabularies(crm):
    api = record(crm, "hubspot", 1)
    assert (api["contact_id"], api["phone"], api["postal_code"], api["source_channel"]) == (
        "101",
        "+34 600 123 456",
        "28013",
        "ORGANIC_SEARCH",
    )
    assert api["birth_date"] == "1990-02-03"
    export = record(crm, "hubspot_export", 1)  # UTF-8 with a BOM, CRLF
    assert (export["contact_id"], export["first_name"], export["city"]) == (
        "201",
        "Lena",
        "München",
    )
    assert (export["phone"], export["country"], export["source_channel"]) == (
        "0170 9876543",
        "Germany",
        "Offline Sources",
    )
    assert record(crm, "hubspot_export", 2)["street_address"] == "12 Quay St, Apt 2"


def test_mapped_cp1252_semicolon_source(crm):
    anna = record(crm, "newsletter", 1)
    assert (anna["first_name"], anna["last_name"], anna["email"]) == (
        "Änne",
        "Groß",
        "anna@example.de",
    )
    assert anna["phone"] == "0170 1111111"  # Telefon blank: Mobil
    assert record(crm, "newsletter", 2)["phone"] == "030 2222222"
    assert anna["source_channel"] == "newsletter"
    assert anna["contact_id"] is None and anna["city"] is None  # not collected
    assert anna["_line_number"] == 2


def test_billing_and_orders_roles(tmp_path):
    raw = make_raw_dir(tmp_path)
    connection = duckdb.connect()
    billing = load_role(connection, raw, "billing")
    assert tuple(billing.columns) == role_columns("billing")
    assert billing.project("account_id, source_name, source_file").fetchall() == [
        ("A1", "billing_main", "billing_customers.csv")
    ]
    orders = load_role(connection, raw, "orders")
    assert tuple(orders.columns) == role_columns("orders")
    # The only billing source is the one whose account ids the orders carry.
    assert orders.project("order_id, source_name, billing_source_name").fetchall() == [
        ("O1", "orders", "billing_main")
    ]


def test_a_role_with_no_source_is_an_empty_table_of_its_columns(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=SOURCES_YML + "orders: []\n")
    (tmp_path / "with_orders").mkdir()
    connection = duckdb.connect()
    loaded = load_role(connection, make_raw_dir(tmp_path / "with_orders"), "orders")
    nothing = load_role(connection, raw, "orders")
    assert nothing.fetchall() == []
    assert list(zip(nothing.columns, nothing.types, strict=True)) == list(
        zip(loaded.columns, loaded.types, strict=True)
    )


def test_contract_layout_loads_as_before(tmp_path):
    raw = make_raw_dir(tmp_path, sources_yml=None)
    connection = duckdb.connect()
    new = rows(load_role(connection, raw, "crm"))
    old = rows(load_raw_table(connection, raw, "crm_contacts"))
    assert new[list(old.columns)].values.tolist() == old.values.tolist()
    assert set(new["source_name"]) == {"crm"}
    assert new[["is_deleted", "is_converted", "converted_contact_id"]].isna().all().all()


def test_contract_files_as_parquet_load_without_sources_yml(tmp_path):
    """The three contract files written as Parquet (`python -m crm_quality.demo --format
    parquet`) are the sources, with the rows their CSVs hold."""
    csv_raw = make_raw_dir(tmp_path, sources_yml=None)
    parquet_raw = tmp_path / "parquet"
    parquet_raw.mkdir()
    connection = duckdb.connect()
    for table in ROLE_TABLES.values():
        connection.execute(
            f"copy (select * from read_csv('{csv_raw / f'{table}.csv'}', all_varchar = true))"
            f" to '{parquet_raw / f'{table}.parquet'}' (format parquet)"
        )
    for role, table in ROLE_TABLES.items():
        from_csv = rows(load_role(connection, csv_raw, role)).drop(columns="source_file")
        from_parquet = rows(load_role(connection, parquet_raw, role))
        assert set(from_parquet["source_file"]) == {f"{table}.parquet"}
        from_parquet = from_parquet.drop(columns="source_file")
        assert from_parquet.values.tolist() == from_csv.values.tolist(), role


def test_malformed_rows_are_quarantined_per_source(tmp_path):
    raw = make_raw_dir(tmp_path)
    (raw / "newsletter.csv").write_bytes(
        (
            "E-Mail;Vorname;Nachname;Anmeldedatum;Telefon;Mobil\r\n"
            "anna@example.de;Änne;Groß;01.02.2024;;\r\n"
            "kaputt;zu;viele;Felder;in;dieser;Zeile\r\n"
        ).encode("cp1252")
    )
    crm = rows(load_role(duckdb.connect(), raw, "crm"))
    newsletter = crm[crm["source_name"] == "newsletter"]
    assert newsletter["_row_number"].tolist() == [1, 2]
    bad = newsletter[newsletter["_is_quarantined"]].iloc[0]
    assert (bad["_line_number"], bad["_raw_text"]) == (3, "kaputt;zu;viele;Felder;in;dieser;Zeile")
    assert bad["_quarantine_reason"] == "expected 6 fields, found 7"
    assert bad["source_channel"] == "newsletter" and bad["email"] is None
    assert not crm.loc[crm["source_name"] != "newsletter", "_is_quarantined"].any()


def test_parquet_and_utf16_sources(tmp_path):
    sources_yml = SOURCES_YML.replace(
        "billing:",
        "  - name: webshop\n    file: webshop.parquet\n"
        "    columns: {contact_id: customer_no, email: mail, birth_date: born}\n"
        "    channel_column: channel\n"
        "  - name: excel_list\n    file: liste.txt\n"
        "    columns: {first_name: Vorname, last_name: Nachname}\n"
        "billing:",
    )
    raw = make_raw_dir(tmp_path, sources_yml=sources_yml)
    connection = duckdb.connect()
    connection.execute(
        f"""copy (select 7 as customer_no, 'x@example.com' as mail, date '1990-01-31' as born,
                         'shop' as channel)
            to '{raw / "webshop.parquet"}' (format parquet)"""
    )
    (raw / "liste.txt").write_bytes("Vorname\tNachname\r\nZoë\tÇelik\r\n".encode("utf-16"))
    crm = rows(load_role(connection, raw, "crm"))
    shop = record(crm, "webshop", 1)
    assert (shop["contact_id"], shop["email"], shop["birth_date"], shop["source_channel"]) == (
        "7",
        "x@example.com",
        "1990-01-31",
        "shop",
    )
    excel = record(crm, "excel_list", 1)
    assert (excel["first_name"], excel["last_name"], excel["source_channel"]) == (
        "Zoë",
        "Çelik",
        None,
    )


def test_a_column_missing_from_a_file_is_named_with_its_source(tmp_path):
    raw = make_raw_dir(tmp_path)
    (raw / "Lead.csv").write_text(
        "Id,FirstName,Email,IsConverted\n00Q1,Kim,kim@example.kr,false\n", encoding="utf-8"
    )
    (raw / "sources.yml").write_text(
        SOURCES_YML.replace(
            "    preset: salesforce_lead\n",
            "    columns: {contact_id: Id, first_name: FirstName, last_name: LastName}\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(RawInputError) as caught:
        load_role(duckdb.connect(), raw, "crm")
    assert str(caught.value) == (
        "source 'salesforce_leads' (Lead.csv): column 'LastName' not found; the file has: "
        f"id, firstname, email, isconverted (CRM_RAW_DIR={str(raw)!r})"
    )


def test_unreadable_file_error_names_source_and_file(tmp_path):
    raw = make_raw_dir(tmp_path)
    (raw / "hubspot_api.csv").write_bytes(codecs.BOM_UTF8)  # an empty export
    with pytest.raises(RawInputError, match=r"source 'hubspot' \(hubspot_api.csv\): column"):
        load_role(duckdb.connect(), raw, "crm")
