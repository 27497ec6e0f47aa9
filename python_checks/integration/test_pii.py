"""Personal data stays where it belongs: aggregate marts hold no email- or phone-shaped values,
and every model that holds personal data says so."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from crm_quality.connect import RESTRICTED_SCHEMAS

pytestmark = pytest.mark.integration

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# Nine to fifteen digits with the usual separators, not part of a longer token (ids, dates).
PHONE = re.compile(r"(?<![\w-])\(?\+?\d(?:[\s().-]{0,2}\d){8,14}(?![\w-])")
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
    "int_quality_checks",
    "dim_customers",
    "fct_missing_customers",
    "fct_data_quality_issues",
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


def test_aggregate_marts_hold_no_emails_or_phones(warehouse):
    models = manifest_models(warehouse)
    aggregates = [
        node
        for node in models.values()
        if node["name"].startswith("mart_") and not node["config"]["meta"].get("contains_pii")
    ]
    assert {"mart_defect_rate", "mart_customer_shortage"} <= {node["name"] for node in aggregates}
    found = []
    with duckdb.connect(str(warehouse.warehouse), read_only=True) as connection:
        for node in aggregates:
            relation = f'"{node["schema"]}"."{node["alias"]}"'
            columns = connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? and data_type = 'VARCHAR'",
                [node["schema"], node["alias"]],
            ).fetchall()
            for (column,) in columns:
                values = connection.execute(
                    f'select distinct "{column}" from {relation}'
                ).fetchall()
                found += [
                    (node["name"], column, value)
                    for (value,) in values
                    if value and looks_personal(value)
                ]
    assert found == []
