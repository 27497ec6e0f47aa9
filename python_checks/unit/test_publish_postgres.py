"""Which tables a PostgreSQL build carries over from its previous run
(crm_quality/publish_postgres.py; the swap itself: test_bi_reads_during_postgres_build.py)."""

from __future__ import annotations

from crm_quality.matching.train_step import TABLES as TRAINING_STEP_TABLES
from crm_quality.publish_postgres import building_schema, carried_tables


def node(resource_type: str, alias: str, materialized: str, schema: str | None = None) -> dict:
    return {
        "resource_type": resource_type,
        "alias": alias,
        "config": {"materialized": materialized, "schema": schema},
    }


def test_incremental_models_snapshots_and_the_model_registry_are_carried() -> None:
    nodes = [
        node("model", "mart_data_quality_history", "incremental"),
        node("model", "fct_test_failures_history", "incremental", "audit"),
        node("model", "int_customer_ids_registered", "incremental", "restricted"),
        node("snapshot", "contacts_snapshot", "snapshot"),
        node("model", "mart_defect_rate", "table"),
        node("seed", "countries", "seed"),
        node("test", "unique_x", "test", "audit"),
    ]
    manifest = {"nodes": {f"{item['resource_type']}.p.{item['alias']}": item for item in nodes}}
    registry = [("_restricted", table) for table in TRAINING_STEP_TABLES]
    assert ("_restricted", "matching_model_registry") in registry
    assert carried_tables(manifest) == sorted([
        ("", "contacts_snapshot"),
        ("", "mart_data_quality_history"),
        ("_audit", "fct_test_failures_history"),
        ("_restricted", "int_customer_ids_registered"),
        *registry,
    ])  # fmt: skip


def test_the_building_schema_fits_postgresql_identifiers_with_dbt_suffixes() -> None:
    assert building_schema("main") == "main__building"
    assert len((building_schema("main") + "_restricted").encode()) <= 63
