"""The glue the dbt Python models call: Splink on a cursor of the warehouse, cleaned up."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from crm_quality.matching import threads
from crm_quality.matching.duckdb_backend import (
    TrainingOptions,
    matching_features,
    registry_schema,
    train_or_reuse,
)

COLUMNS = [
    "record_key",
    "source_system",
    "first_name_key",
    "last_name_key",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "birth_date",
]


def standardized(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    frame["phone_key"] = frame["phone"]  # what matching compares (E.164 here)
    return frame


ROWS = [
    ("billing:A1", "billing", "anna", "muller", "a@x.de", "+4930123", "Weg 1", "10115", "Berlin",
     "1980-03-05"),
    ("crm:C1", "crm", "anna", "muller", "a@x.de", "+4930123", "Weg 1", "10115", "Berlin",
     "1980-03-05"),
    ("crm:C2", "crm", "peter", "schmidt", "p@y.de", "+4940999", "Allee 9", "20095", "Hamburg",
     "1971-07-01"),
]  # fmt: skip


@pytest.fixture()
def session():
    connection = duckdb.connect()
    yield connection
    connection.close()


def trained_registry(session, records) -> duckdb.DuckDBPyRelation:
    """A model registry holding one model trained on `records`."""
    row = train_or_reuse(session, records, None, TrainingOptions(), max_key_group_size=20)
    session.register("registry_rows", row)
    session.execute("create or replace table registry as select * from registry_rows")
    return session.table("registry")


def test_training_leaves_no_working_table(session):
    session.register("records_frame", standardized(ROWS))
    session.execute("create table records as select * from records_frame")
    registry = trained_registry(session, session.table("records"))
    assert registry.project("training_record_count").fetchall() == [(3,)]
    leftovers = session.execute(
        "select schema_name from duckdb_schemas() where schema_name like 'er_scratch%' "
        "union all select table_name from duckdb_tables() where table_name like '%splink%'"
    ).fetchall()
    assert leftovers == []
    assert session.execute("select current_schema()").fetchone()[0] == "main"


def test_the_features_come_in_one_order_whatever_the_cores(session, monkeypatch):
    """Training sums over the features in their order; they are read on every core, so they
    must come out in record_key order however the threads split the work."""
    many = standardized(ROWS * 40_000)
    many["record_key"] += "-" + many.index.astype(str)
    session.register("records_frame", many.sample(frac=1, random_state=7))
    session.execute("set threads = 1")

    def features(cores: int) -> list:
        monkeypatch.setattr(threads.os, "cpu_count", lambda: cores)
        return matching_features(session, session.table("records_frame"), 20)["record_key"]

    one, four = features(1), features(4)
    assert one.to_pylist() == four.to_pylist() == sorted(many["record_key"])
    assert session.execute("select current_setting('threads')").fetchall() == [(1,)]


def test_fewer_than_two_records_train_no_model(session):
    session.register("records", standardized(ROWS[:1]))
    records = session.table("records")
    registry = train_or_reuse(session, records, None, TrainingOptions(), max_key_group_size=20)
    assert registry.num_rows == 0 and registry.schema == registry_schema()


def test_a_model_is_reused_until_the_data_drifts_or_retraining_is_asked_for(session):
    session.register("records_frame", standardized(ROWS))
    session.execute("create table records as select * from records_frame")
    records = session.table("records")
    registry = trained_registry(session, records)
    ((reason,),) = registry.project("training_reason").fetchall()
    assert reason == "no model trained on this warehouse yet"
    options = TrainingOptions()
    assert train_or_reuse(session, records, registry, options, max_key_group_size=20).num_rows == 0
    forced = TrainingOptions(retrain=True)
    assert train_or_reuse(session, records, registry, forced, max_key_group_size=20).num_rows == 1
    session.execute("update records set email = null, phone = null")
    drifted = train_or_reuse(session, records, registry, options, max_key_group_size=20)
    assert drifted.column("training_reason").to_pylist() == ["the compared fields changed"]
