"""Personal data stays where it belongs: nothing a BI reader can see (every relation outside the
restricted schemas) holds email- or phone-shaped values, and every model that holds personal
data says so."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from crm_quality.connect import RESTRICTED_SCHEMAS

pytestmark = pytest.mark.integration

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# Nine to fifteen digits with the usual separators, not part of a longer token (ids, dates,
# the hash ending a dbt test id such as "test.crm_quality.unique_x.2845255896").
PHONE = re.compile(r"(?<![\w-])(?<!\w\.)\(?\+?\d(?:[\s().-]{0,2}\d){8,14}(?![\w-])")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?!\d)")


def looks_personal(value: str) -> bool:
    return bool(EMAIL.search(value) or PHONE.search(ISO_DATETIME.sub(" ", value)))


PII_MODELS = {
    "base_crm__contacts",
    "base_billing__customers",
    "stg_crm__contacts",
    "stg_billing__customers",
    "int_person_records_unioned",
    "int_person_records_standardized",
    "int_person_records_resolved",
    "int_raw_rows_quarantined",
    "int_quality_check_outcomes",
    "int_quality_checks",
    "dim_customers",
    "fct_missing_customers",
    "fct_data_quality_issues",
    "fct_merge_suggestions",
}


def manifest_models(warehouse) -> dict[str, dict]:
    manifest = json.loads((warehouse.warehouse.parent / "target" / "manifest.json").read_text())
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "crm_quality"
    }


def test_models_holding_personal_data_are_marked(warehouse):
    models = manifest_models(warehouse)
    unmarked = sorted(
        name for name in PII_MODELS if not models[name]["config"]["meta"].get("contains_pii")
    )
    assert unmarked == []


def test_models_holding_personal_data_are_built_into_the_restricted_schema(warehouse):
    models = manifest_models(warehouse)
    outside = sorted(
        name
        for name, node in models.items()
        if node["config"]["meta"].get("contains_pii") and node["schema"] not in RESTRICTED_SCHEMAS
    )
    assert outside == []
    assert models["mart_defect_rate"]["schema"] == "main"


# Whole numbers are scanned too: a phone stored as digits is still a phone.
SCANNED_TYPES = ("VARCHAR", "BIGINT", "INTEGER", "HUGEINT", "UBIGINT")


def personal_values_outside_restricted_schemas(
    connection: duckdb.DuckDBPyConnection, reference_tables: frozenset[str] = frozenset()
) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Every relation the catalog lists outside the restricted schemas but `reference_tables`
    (schema.name), and each (relation, column, value) there that looks like an e-mail or a
    phone number."""
    excluded = ", ".join(f"'{schema}'" for schema in RESTRICTED_SCHEMAS)
    relations = [
        (schema, name)
        for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema not in ({excluded}) order by all"
        ).fetchall()
        if f"{schema}.{name}" not in reference_tables
    ]
    found = []
    for schema, name in relations:
        columns = connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? "
            f"and data_type in ({', '.join('?' for _ in SCANNED_TYPES)})",
            [schema, name, *SCANNED_TYPES],
        ).fetchall()
        for (column,) in columns:
            values = connection.execute(
                f'select distinct cast("{column}" as varchar) from "{schema}"."{name}"'
            ).fetchall()
            found += [
                (f"{schema}.{name}", column, value)
                for (value,) in values
                if value and looks_personal(value)
            ]
    return {f"{schema}.{name}" for schema, name in relations}, found


def seed_tables(warehouse) -> frozenset[str]:
    """The seeds' tables: reference data from seeds/, reviewed in git. The phone metadata
    (libphonenumber's example numbers and possible lengths) is phone-shaped by design."""
    manifest = json.loads((warehouse.warehouse.parent / "target" / "manifest.json").read_text())
    return frozenset(
        f"{node['schema']}.{node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
    )


def test_bi_readable_relations_hold_no_emails_or_phones(warehouse):
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as connection:
        scanned, found = personal_values_outside_restricted_schemas(
            connection, seed_tables(warehouse)
        )
    row_level = {"main.customer_xref", "main.fct_match_pairs"}
    assert {"main.mart_defect_rate", "main.mart_customer_shortage", *row_level} <= scanned
    assert found == []


def test_the_scan_finds_personal_data_in_a_bi_readable_relation(tmp_path):
    with duckdb.connect(str(tmp_path / "scan.duckdb")) as connection:
        connection.execute(
            "create table customer_xref as select * from (values "
            "('crm:C1', 'ann@example.com', 4930123456, 'test.crm_quality.unique_x.2845255896'), "
            "('crm:C2', '+49 30 1234567', 7, null)) as rows (record_key, note, digits, test_id)"
        )
        for schema in RESTRICTED_SCHEMAS:
            connection.execute(f"create schema {schema}")
            connection.execute(f"create table {schema}.hidden as select 'bo@example.com' as email")
        scanned, found = personal_values_outside_restricted_schemas(connection)
    assert scanned == {"main.customer_xref"}
    assert sorted(found) == [
        ("main.customer_xref", "digits", "4930123456"),
        ("main.customer_xref", "note", "+49 30 1234567"),
        ("main.customer_xref", "note", "ann@example.com"),
    ]
