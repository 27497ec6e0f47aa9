"""The matching input reads exactly INPUT_COLUMNS of the standardized records: the training
step pulls only those, so a column the expressions read but the list lacks fails training."""

from __future__ import annotations

import duckdb
import pytest

from crm_quality.matching.features import FEATURE_COLUMNS, INPUT_COLUMNS, features_sql

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
    features = connection.sql(features_sql("records", 20))
    assert tuple(features.columns) == FEATURE_COLUMNS
    assert features.limit(1).fetchall()[0][FEATURE_COLUMNS.index("birth_month_day")] == "02-03"


@pytest.mark.parametrize("missing", INPUT_COLUMNS)
def test_every_input_column_is_read(missing):
    connection = _records(tuple(column for column in INPUT_COLUMNS if column != missing))
    with pytest.raises(duckdb.BinderException, match=missing):
        connection.sql(features_sql("records", 20))


@pytest.mark.parametrize(
    ("first_names", "birth_dates", "kept"),
    [
        (["anna", "anna"], ["1980-02-03", "1990-01-01"], True),  # one person, a date typo
        (["anna", "ben"], ["1980-02-03", "1990-01-01"], False),  # a family inbox
        ([None, None], ["1980-02-03", "1990-01-01"], False),  # unknown whether one person
        ([None, None], ["1980-02-03", "1980-02-03"], True),  # the same birth date: one person
    ],
)
def test_an_email_is_kept_only_where_its_records_are_known_to_be_one_person(
    first_names, birth_dates, kept
):
    connection = _records(INPUT_COLUMNS)
    connection.execute("delete from records")
    for number, (first_name, birth_date) in enumerate(zip(first_names, birth_dates, strict=True)):
        connection.execute(
            "insert into records (record_key, email, first_name_key, birth_date)"
            " values (?, 'inbox@example.com', ?, cast(? as timestamp))",
            [f"crm:{number}", first_name, birth_date],
        )
    emails = connection.sql(f"select distinct email from ({features_sql('records', 20)})")
    assert emails.fetchall() == [("inbox@example.com" if kept else None,)]


def test_the_name_pair_is_both_names_in_either_order():
    connection = _records(INPUT_COLUMNS)
    connection.execute("delete from records")
    connection.executemany(
        "insert into records (record_key, first_name_key, last_name_key) values (?, ?, ?)",
        [["a", "anna", "muller"], ["b", "muller", "anna"], ["c", "anna", None], ["d", None, "x"]],
    )
    pairs = connection.sql(f"select record_key, name_pair_key from ({features_sql('records', 20)})")
    assert [value for _, value in pairs.order("record_key").fetchall()] == [
        "anna|muller", "anna|muller", None, None,
    ]  # fmt: skip
