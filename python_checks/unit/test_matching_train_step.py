"""The build's training step on a DuckDB warehouse: trains once, then reuses; er_retrain
trains again; a warehouse whose registry was the former Python model keeps its models."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from crm_quality.matching.train_step import (
    DIAGNOSTIC_TABLES,
    REGISTRY_TABLE,
    DuckDBWarehouse,
    run_train_step,
)
from python_checks.dbt_runner import REPO_ROOT
from python_checks.unit.test_matching_duckdb_backend import ROWS, standardized

SETTING_VARS = (
    "er_retrain",
    "er_train_on_labels",
    "er_label_pseudo_count",
    "er_pair_min_match_probability",
    "er_lenient_match_threshold",
    "er_match_threshold",
    "er_conservative_match_threshold",
    "er_min_fill_rate",
    "er_max_pairs_per_record",
    "er_model_path",
    "max_exact_key_group_size",
)


def settings_sql(**overrides: object) -> str:
    """build_settings as dbt renders it: the project's defaults as text, with `overrides`."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    values = {name: project["vars"][name] for name in SETTING_VARS} | overrides
    columns = ", ".join(
        f"'{str(value).lower() if isinstance(value, bool) else value}' as {name}"
        for name, value in values.items()
    )
    return f"create or replace table main.build_settings as select {columns}"


@pytest.fixture()
def connection():
    connection = duckdb.connect()
    connection.execute("create schema main_restricted")
    connection.register("records_frame", standardized(ROWS))
    connection.execute(
        "create table main_restricted.int_person_records_standardized as"
        " select * from records_frame"
    )
    connection.execute(settings_sql())
    yield connection
    connection.close()


def registry(connection) -> list[tuple]:
    return connection.execute(
        f"select model_id, training_reason, compared_fields from main_restricted.{REGISTRY_TABLE}"
        " order by trained_at"
    ).fetchall()


def test_the_first_build_trains_and_the_next_reuses(connection):
    first = run_train_step(DuckDBWarehouse(connection))
    assert first.trained and first.record_count == 3
    assert registry(connection) == [
        (first.model_id, "no model trained on this warehouse yet", registry(connection)[0][2])
    ]
    for table in DIAGNOSTIC_TABLES.values():
        model_ids = connection.execute(
            f"select distinct model_id from main_restricted.{table}"
        ).fetchall()
        assert model_ids == [(first.model_id,)], table
    second = run_train_step(DuckDBWarehouse(connection))
    assert not second.trained and second.model_id == first.model_id
    assert len(registry(connection)) == 1


def test_er_retrain_appends_a_model(connection):
    run_train_step(DuckDBWarehouse(connection))
    connection.execute(settings_sql(er_retrain=True))
    again = run_train_step(DuckDBWarehouse(connection))
    assert again.trained
    assert [reason for _, reason, _ in registry(connection)] == [
        "no model trained on this warehouse yet",
        "retraining was asked for (er_retrain)",
    ]


def test_a_registry_kept_by_the_former_python_model_is_taken_over(connection):
    first = run_train_step(DuckDBWarehouse(connection))
    connection.execute(
        "create table main_restricted.int_matching_models as select model_id, trained_at,"
        f" training_record_count, training_reason, model_json from main_restricted.{REGISTRY_TABLE}"
    )
    for table in (REGISTRY_TABLE, *DIAGNOSTIC_TABLES.values()):
        connection.execute(f"drop table main_restricted.{table}")
    taken_over = run_train_step(DuckDBWarehouse(connection))
    assert not taken_over.trained and taken_over.model_id == first.model_id
    assert [model_id for model_id, _, _ in registry(connection)] == [first.model_id]
