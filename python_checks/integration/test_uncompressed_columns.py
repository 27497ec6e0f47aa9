"""The columns a model lists in `uncompressed_columns` are stored uncompressed on DuckDB
(macros/engines/uncompressed_columns.sql), the table keeping the select's columns and rows; a
listed column the select lacks stops the model, naming it. The raw tables store the contract's
nearly distinct fields uncompressed too (crm_quality.ingest.raw_tables)."""

from __future__ import annotations

import json
from contextlib import closing

import duckdb
import pytest

from crm_quality.ingest.contract import role_columns
from crm_quality.ingest.raw_tables import RESTRICTED_SUFFIX, ROLE_TABLES, UNCOMPRESSED_COLUMNS
from python_checks.sql_render import compiled_sql

pytestmark = pytest.mark.integration

# Enough rows for DuckDB to compress a repeated name (a dictionary) once checkpointed.
SELECT = (
    "select i as id, 'crm:C' || i as record_key, 'Ann' as first_name, [1.5, i] as scores"
    " from range(5000) as numbers(i)"
)


def configured_models(warehouse) -> dict[str, tuple[str, list[str]]]:
    """Model name → (schema, uncompressed_columns) for every model listing some."""
    manifest = json.loads((warehouse.warehouse.parent / "target" / "manifest.json").read_text())
    return {
        node["name"]: (node["schema"], node["config"]["uncompressed_columns"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("uncompressed_columns")
    }


def raw_tables() -> dict[str, tuple[str, list[str]]]:
    """Raw table → (schema, the columns the loader stores uncompressed)."""
    return {
        table: (f"main{RESTRICTED_SUFFIX}", list(columns))
        for table, columns in UNCOMPRESSED_COLUMNS.items()
    }


def test_every_raw_table_of_a_role_lists_columns_it_has():
    for role, table in ROLE_TABLES.items():
        assert UNCOMPRESSED_COLUMNS[table]
        assert set(UNCOMPRESSED_COLUMNS[table]) <= set(role_columns(role)), table


def test_listed_columns_are_stored_uncompressed_and_only_they_are_forced(warehouse):
    models = configured_models(warehouse)
    assert {"int_person_records_standardized", "dim_customers", "customer_xref"} <= set(models)
    tables = {**models, **raw_tables()}
    compressed, unforced = {}, set()
    for name, (schema, columns) in tables.items():
        segments = warehouse.query(
            f"select column_name, compression from pragma_storage_info('{schema}.{name}')"
            " where segment_type <> 'VALIDITY'"
        )
        for column, compression in segments:
            if column in columns and compression != "Uncompressed":
                compressed[f"{name}.{column}"] = compression
            if column not in columns and compression != "Uncompressed":
                unforced.add(name)
    assert compressed == {}
    # The other columns keep DuckDB's choice: each of these tables compresses some.
    assert unforced == set(tables)


def test_the_table_has_the_select_columns_types_and_rows(tmp_path):
    statements = compiled_sql(
        "{{ table_with_uncompressed_columns(api.Relation.create(identifier='built'),"
        f" \"{SELECT}\", ['record_key', 'scores']) }}}}"
    )
    with closing(duckdb.connect(str(tmp_path / "built.duckdb"))) as connection:
        connection.execute(statements)
        connection.execute("checkpoint")
        expected = connection.execute(f"describe ({SELECT})").fetchall()
        assert connection.execute("describe built").fetchall() == expected
        assert connection.execute("select * from built order by id").fetchall() == (
            connection.execute(f"{SELECT} order by id").fetchall()
        )
        stored = dict(
            connection.execute(
                "select column_name, compression from pragma_storage_info('built')"
                " where segment_type = 'VARCHAR'"
            ).fetchall()
        )
    assert stored["record_key"] == "Uncompressed"
    assert stored["first_name"] != "Uncompressed"


def test_a_listed_column_the_select_lacks_names_it_and_the_columns():
    with pytest.raises(RuntimeError) as raised:
        compiled_sql(
            "{{ table_with_uncompressed_columns(api.Relation.create(identifier='built'),"
            f" \"{SELECT}\", ['record_key', 'email']) }}}}"
        )
    message = str(raised.value)
    assert "names email, not among its columns: id, record_key, first_name, scores" in message
    # The failed compile leaves the helper able to compile again (python_checks/sql_render.py).
    assert compiled_sql("select {{ 40 + 2 }} as answer").strip() == "select 42 as answer"
