"""The matching input reads exactly INPUT_COLUMNS of the standardized records: the training
step pulls only those, so a column the expressions read but the list lacks fails training."""

from __future__ import annotations

import duckdb
import pytest

from crm_quality.matching.features import FEATURE_COLUMNS, INPUT_COLUMNS, feature_select_sql

TYPES = {"birth_date": "timestamp"}


def _records(columns: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    definitions = ", ".join(f"{column} {TYPES.get(column, 'varchar')}" for column in columns)
    connection.execute(f"create table records ({definitions})")
    connection.execute(
        "insert into records values ("
        + ", ".join("timestamp '1980-02-03'" if c in TYPES else f"'{c}'" for c in columns)
        + ")"
    )
    return connection


def test_the_features_need_only_the_input_columns():
    connection = _records(INPUT_COLUMNS)
    features = connection.sql(f"select {feature_select_sql(20)} from records")
    assert tuple(features.columns) == FEATURE_COLUMNS
    assert features.limit(1).fetchall()[0][FEATURE_COLUMNS.index("birth_month_day")] == "02-03"


@pytest.mark.parametrize("missing", INPUT_COLUMNS)
def test_every_input_column_is_read(missing):
    connection = _records(tuple(column for column in INPUT_COLUMNS if column != missing))
    with pytest.raises(duckdb.BinderException, match=missing):
        connection.sql(f"select {feature_select_sql(20)} from records")
