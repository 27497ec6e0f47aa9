"""On PostgreSQL the reader roles see what dbt_project.yml grants them, and nothing else: BI
reads the aggregate marts and is refused personal data; data stewards read every table."""

from __future__ import annotations

import json

import psycopg
import pytest

from crm_quality.warehouse_roles import BI_READER, DATA_STEWARD
from python_checks import cross_engine

PERSONAL_SCHEMAS = ("main_restricted", "main_audit")


def _manifest(builds: dict) -> dict:
    path = builds["root"] / "postgres-1" / "target" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def aggregate_marts(builds: dict) -> list[str]:
    """Models the PostgreSQL build made in the default schema, granted to bi_reader."""
    return sorted(
        node["name"] for node in _manifest(builds)["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "main"
        and BI_READER in node["config"].get("grants", {}).get("select", [])
    )  # fmt: skip


def _tables(postgres: psycopg.Connection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    return postgres.execute(
        "select schemaname, tablename from pg_tables where schemaname = any(%s) order by 1, 2",
        [list(schemas)],
    ).fetchall()


def _readable_as(role: str, builds: dict, tables: list[tuple[str, str]]) -> dict[str, bool]:
    """Table → whether `role` may select from it (refused means permission denied)."""
    readable = {}
    with cross_engine.connect_postgres(builds["env"]) as postgres:
        postgres.execute(f"set role {role}")
        for schema, table in tables:
            try:
                postgres.execute(f'select * from "{schema}"."{table}" limit 1').fetchall()
                readable[f"{schema}.{table}"] = True
            except psycopg.errors.InsufficientPrivilege:
                readable[f"{schema}.{table}"] = False
    return readable


@pytest.fixture(scope="module")
def all_tables(cross_engine_builds) -> list[tuple[str, str]]:
    assert cross_engine_builds["postgres"].returncode == 0
    with cross_engine.connect_postgres(cross_engine_builds["env"]) as postgres:
        return _tables(postgres, ("main", *PERSONAL_SCHEMAS))


def test_bi_reader_reads_every_aggregate_mart(cross_engine_builds) -> None:
    marts = aggregate_marts(cross_engine_builds)
    assert {"mart_defect_rate", "mart_customer_shortage", "mart_data_quality_history"} <= set(marts)
    readable = _readable_as(BI_READER, cross_engine_builds, [("main", mart) for mart in marts])
    assert [table for table, allowed in readable.items() if not allowed] == []


def test_bi_reader_is_refused_personal_data(cross_engine_builds, all_tables) -> None:
    personal = [(schema, table) for schema, table in all_tables if schema in PERSONAL_SCHEMAS]
    assert {"dim_customers", "raw_crm_records"} <= {table for _, table in personal}
    readable = _readable_as(BI_READER, cross_engine_builds, personal)
    assert [table for table, allowed in readable.items() if allowed] == []


def test_data_steward_reads_every_table(cross_engine_builds, all_tables) -> None:
    readable = _readable_as(DATA_STEWARD, cross_engine_builds, all_tables)
    assert [table for table, allowed in readable.items() if not allowed] == []
