"""The lines `make build` prints: the headline figures and the tests that failed a build."""

from __future__ import annotations

import json

import duckdb
import pytest

from crm_quality.headline import failing_test_line, failing_tests, headline, invocation_id


def test_failing_monitor_names_its_value_and_threshold():
    line = failing_test_line(
        "monitor_customer_shortage_rate",
        "shortage_rate_at_most",
        "mart_customer_shortage",
        "fail",
        2,
        True,
        34.2,
        30.0,
        "Got 2 results, configured to fail if >= 2",
    )
    assert line == (
        "FAILED monitor_customer_shortage_rate, shortage_rate_at_most(mart_customer_shortage): "
        "34.2 % > error threshold 30 %"
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ("unique_dim_customers_customer_id", "unique", "dim_customers", "fail", 3, False),
            "FAILED unique_dim_customers_customer_id, unique(dim_customers): 3 failing rows",
        ),
        (
            ("assert_raw_rows_conserved", "singular", "stg_crm__contacts", "fail", 1, False),
            "FAILED assert_raw_rows_conserved, singular(stg_crm__contacts): 1 failing row",
        ),
        (
            ("monitor_crm_defect_rate", "defect_rate_at_most", "mart_defect_rate", "error", None),
            "ERROR monitor_crm_defect_rate, defect_rate_at_most(mart_defect_rate): "
            "Database Error: no such table",
        ),
    ],
)
def test_other_failing_tests_name_their_rows_or_error(row, expected):
    name, test_type, model, status, failures, *rest = row
    is_monitor = rest[0] if rest else True
    message = "Database Error:\n  no such table" if status == "error" else None
    line = failing_test_line(
        name, test_type, model, status, failures, is_monitor, None, None, message
    )
    assert line == expected


def test_failing_tests_reads_one_build_monitors_first():
    connection = duckdb.connect()
    connection.execute(
        """
        create table fct_test_results_history (
            run_id varchar, test_name varchar, test_type varchar, tested_model varchar,
            status varchar, failures bigint, is_monitor boolean, measured_pct double,
            error_pct double, message varchar
        )
        """
    )
    connection.executemany(
        "insert into fct_test_results_history values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("this", "a_unique", "unique", "dim_customers", "fail", 2, False, None, None, None),
            (
                "this",
                "b_monitor",
                "null_rate_at_most",
                "dim_customers",
                "fail",
                2,
                True,
                12.3456,
                10.0,
                None,
            ),
            (
                "this",
                "c_warned",
                "null_rate_at_most",
                "dim_customers",
                "warn",
                1,
                True,
                6.0,
                10.0,
                None,
            ),
            ("this", "d_passed", "unique", "dim_customers", "pass", 0, False, None, None, None),
            (
                "older",
                "e_monitor",
                "null_rate_at_most",
                "dim_customers",
                "fail",
                2,
                True,
                50.0,
                10.0,
                None,
            ),
        ],
    )
    assert failing_tests(connection, "this") == [
        "FAILED b_monitor, null_rate_at_most(dim_customers): 12.3456 % > error threshold 10 %",
        "FAILED a_unique, unique(dim_customers): 2 failing rows",
    ]
    assert failing_tests(duckdb.connect(), "this") == []


def test_invocation_id_of_run_results(tmp_path):
    run_results = tmp_path / "run_results.json"
    assert invocation_id(run_results) is None
    run_results.write_text(json.dumps({"metadata": {"invocation_id": "abc"}, "results": []}))
    assert invocation_id(run_results) == "abc"


def _marts(coverage: list[tuple]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(
        "create table mart_customer_shortage (breakdown varchar, breakdown_value varchar, "
        "actual_customers bigint, crm_customers bigint, missing_customers bigint, "
        "shortage_rate_pct double, billing_records bigint, crm_records bigint, "
        "naive_shortage_rate_pct double, is_identification_weak boolean)"
    )
    connection.execute(
        "insert into mart_customer_shortage values "
        "('overall', 'all', 10, 8, 2, 20.0, 10, 12, -20.0, false)"
    )
    for source, has, lacks in coverage:
        connection.execute(
            "insert into mart_customer_shortage values "
            "('crm_source', ?, 10, ?, ?, ? * 10.0, 10, 5, 50.0, false)",
            [source, has, lacks, lacks],
        )
    connection.execute(
        "create table mart_defect_rate as select 'crm' as source_system, 'all' as source_name, "
        "'all' as source_channel, 'all' as quality_dimension, 'any' as defect_type, "
        "'record' as field, 12 as records_checked, 3 as defective_records, 25.0 as defect_rate_pct"
    )
    return connection


def test_headline_says_which_source_lacks_whom_when_there_are_several():
    text = headline(_marts([("hubspot", 6, 4), ("newsletter", 1, 9)]))
    lines = text.splitlines()
    start = lines.index("  per CRM source: actual customers it has / lacks")
    assert lines[start + 1].split() == ["newsletter", "1", "/", "9", "90.00", "%", "lacking"]
    assert lines[start + 2].split()[0] == "hubspot"
    assert "per CRM source" not in headline(_marts([("crm", 8, 2)]))
