"""The raw tables loaded before each build: the same rows on every engine, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
import yaml

from crm_quality.connect import connect
from crm_quality.ingest.labels import LABELS_TABLE
from crm_quality.ingest.raw_tables import (
    ROLE_TABLES,
    SOURCE_FIELDS_TABLE,
    load_into_duckdb,
    load_into_postgres,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "data" / "demo"
TABLES = (*ROLE_TABLES.values(), SOURCE_FIELDS_TABLE, LABELS_TABLE)


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped demo (four CRM sources, two encodings) with a broken newsletter row."""
    raw = tmp_path_factory.mktemp("raw") / "raw"
    shutil.copytree(DEMO, raw, ignore=shutil.ignore_patterns("truth*"))
    with (raw / "newsletter.csv").open("ab") as newsletter:
        newsletter.write('"unclosed@example.com;Jörg;Müller;01.02.2024\n'.encode("cp1252"))
    return raw


@pytest.fixture(scope="module")
def labels_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A steward's labels with an unreadable row, in Windows-1252 with semicolons."""
    path = tmp_path_factory.mktemp("labels") / "labels.csv"
    path.write_bytes(
        "record_key_l;record_key_r;is_match;reviewer\n"
        "crm:1;crm:2;1;Jörg\n"
        '"crm:3;crm:4;0;Jörg\n'.encode("cp1252")
    )
    return path


def _sorted_rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple("" if value is None else str(value) for value in row))


def test_duckdb_and_postgres_hold_the_same_raw_rows(
    raw_dir: Path,
    labels_file: Path,
    tmp_path: Path,
    postgres_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_into_duckdb(raw_dir, warehouse, labels_file=labels_file)
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    load_into_postgres(raw_dir, labels_file=labels_file)
    with connect(warehouse) as duck, psycopg.connect() as postgres:
        for table in TABLES:
            relation = f"main_restricted.{table}"
            duck_rows = duck.execute(f"select * from {relation}").fetchall()
            postgres_rows = postgres.execute(f"select * from {relation}").fetchall()
            assert _sorted_rows(postgres_rows) == _sorted_rows(duck_rows), table
        quarantined = postgres.execute(
            "select source_name, _raw_text from main_restricted.raw_crm_records"
            " where _is_quarantined"
        ).fetchall()
        labels = postgres.execute(
            "select record_key_l, reviewer, reviewed_at, _is_quarantined, _raw_text"
            " from main_restricted.raw_review_labels order by _row_number"
        ).fetchall()
    assert quarantined == [("newsletter", '"unclosed@example.com;Jörg;Müller;01.02.2024')]
    assert labels == [
        ("crm:1", "Jörg", None, False, None),
        (None, None, None, True, '"crm:3;crm:4;0;Jörg'),
    ]


def test_a_second_load_replaces_the_rows(raw_dir: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_into_duckdb(raw_dir, warehouse)
    load_into_duckdb(raw_dir, warehouse)
    with connect(warehouse) as duck:
        rows = duck.execute("select count(*) from main_restricted.raw_orders").fetchone()[0]
    orders_file = (raw_dir / "orders.csv").read_text(encoding="utf-8")
    assert rows == len(orders_file.strip().splitlines()) - 1


def test_a_second_postgres_load_replaces_tables_that_views_read(
    raw_dir: Path, postgres_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    load_into_postgres(raw_dir, schema="reload")
    with psycopg.connect() as postgres:
        # As the base models read it (models/staging/*/base).
        postgres.execute(
            "create view reload_restricted.base_orders"
            " as select * from reload_restricted.raw_orders"
        )
    load_into_postgres(raw_dir, schema="reload")
    with psycopg.connect() as postgres:
        rows = postgres.execute("select count(*) from reload_restricted.raw_orders").fetchone()[0]
    orders_file = (raw_dir / "orders.csv").read_text(encoding="utf-8")
    assert rows == len(orders_file.strip().splitlines()) - 1


def test_the_dbt_sources_name_the_loaded_tables() -> None:
    declared = yaml.safe_load((REPO_ROOT / "models/staging/_raw__sources.yml").read_text("utf-8"))
    (source,) = declared["sources"]
    assert [table["name"] for table in source["tables"]] == list(TABLES)
