"""The whole report from a small hand-made warehouse, with and without monitoring history."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_quality.report import build_report, queries, write_report

MARTS = """
create table mart_defect_rate as select * from (values
    ('crm', 'all', 'all', 'all', 'any', 'record', 10, 4, 40.0),
    ('crm', 'all', 'all', 'completeness', 'any', 'record', 10, 2, 20.0),
    ('crm', 'all', 'all', 'completeness', 'missing', 'email', 10, 2, 20.0),
    ('crm', 'all', 'all', 'validity', 'invalid', 'phone', 8, 1, 12.5),
    ('crm', 'all', 'web_form', 'all', 'any', 'record', 6, 3, 50.0),
    ('crm', 'all', 'import', 'all', 'any', 'record', 4, 1, 25.0),
    ('crm', 'all', 'web_form', 'completeness', 'missing', 'email', 6, 2, 33.3333),
    ('billing', 'all', 'all', 'all', 'any', 'record', 5, 0, 0.0)
) as rates(source_system, source_name, source_channel, quality_dimension, defect_type, field,
           records_checked, defective_records, defect_rate_pct);
create table mart_customer_shortage as select * from (values
    ('overall', 'all', 8, 6, 2, 25.0),
    ('country', 'DE', 5, 4, 1, 20.0),
    ('country', 'US', 3, 2, 1, 33.3333),
    ('crm_source', 'newsletter', 8, 1, 7, 87.5),
    ('crm_source', 'salesforce', 8, 6, 2, 25.0)
) as shortage(breakdown, breakdown_value, actual_customers, crm_customers, missing_customers,
              shortage_rate_pct);
create table customer_xref as select * from (values
    ('crm:1', 'crm', 'c1', 'entity_resolution'), ('crm:2', 'crm', 'c1', 'entity_resolution'),
    ('crm:3', 'crm', 'c1', 'entity_resolution'),
    ('billing:1', 'billing', 'c1', 'entity_resolution'),
    ('crm:4', 'crm', 'c2', 'entity_resolution'), ('crm:5', 'crm', 'c2', 'entity_resolution'),
    ('crm:6', 'crm', 'c3', 'entity_resolution'), ('leads:7', 'crm', 'c3', 'converted_lead')
) as xref(record_key, source_system, customer_id, link_type);
"""

HISTORY = """
create table mart_data_quality_history as select * from (values
    ('r1', timestamp '2026-01-01 10:00', 'shortage_rate_pct', 'overall', 'all', 2, 8, 25.0),
    ('r1', timestamp '2026-01-01 10:00', 'defect_rate_pct',
        'source_system/source_channel/quality_dimension/defect_type/field',
        'crm/all/all/any/record', 4, 10, 40.0),
    ('r2', timestamp '2026-01-02 10:00', 'shortage_rate_pct', 'overall', 'all', 3, 8, 37.5),
    ('r2', timestamp '2026-01-02 10:00', 'defect_rate_pct',
        'source_system/source_channel/quality_dimension/defect_type/field',
        'crm/all/all/any/record', 4, 10, 40.0)
) as history(run_id, run_started_at, metric, breakdown, breakdown_value, numerator,
             denominator, value);
create table mart_quality_anomalies as select * from (values
    ('r2', timestamp '2026-01-02 10:00', true, 'shortage_rate_pct', 'all', 37.5, 25.0, 2.0,
     6.25, true)
) as anomalies(run_id, run_started_at, is_latest_build, metric, breakdown_value, value,
               baseline_median, allowed_departure, robust_z, is_anomaly);
create table fct_test_results_history as select * from (values
    ('r2', timestamp '2026-01-02 10:00', 'monitor_customer_shortage_rate',
     'mart_customer_shortage', true, 'warn', 1, 37.5, 30.0, 50.0),
    ('r2', timestamp '2026-01-02 10:00', 'monitor_crm_defect_rate', 'mart_defect_rate', true,
     'pass', 0, 40.0, 60.0, 75.0),
    ('r2', timestamp '2026-01-02 10:00', 'unique_dim_customers_customer_id', 'dim_customers',
     false, 'pass', 0, null, null, null),
    ('r1', timestamp '2026-01-01 10:00', 'monitor_customer_shortage_rate',
     'mart_customer_shortage', true, 'pass', 0, 25.0, 30.0, 50.0)
) as results(run_id, run_started_at, test_name, tested_model, is_monitor, status, failures,
             measured_pct, warn_pct, error_pct);
"""


@pytest.fixture
def marts_only() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(MARTS)
    yield connection
    connection.close()


@pytest.fixture
def with_history(marts_only) -> duckdb.DuckDBPyConnection:
    marts_only.execute(HISTORY)
    return marts_only


def test_queries_read_the_marts(marts_only):
    assert queries.headline(marts_only) == {
        "actual_customers": 8,
        "missing_customers": 2,
        "shortage_rate_pct": 25.0,
        "crm_records": 10,
        "defective_crm_records": 4,
        "defect_rate_pct": 40.0,
    }
    clusters = queries.largest_duplicate_clusters(marts_only)
    assert clusters.to_dict("list") == {
        "cluster_rank": [1, 2],
        "crm_records": [3, 2],
        "billing_records": [1, 0],
        "records": [4, 2],
    }
    by_field = queries.defect_rate_by_field(marts_only)
    assert set(zip(by_field["field"], by_field["quality_dimension"], strict=True)) == {
        ("email", "completeness"),
        ("phone", "validity"),
    }
    marts_only.execute(
        "insert into mart_defect_rate values "
        "('crm', 'all', 'all', 'validity', 'unparseable', 'phone', 8, 2, 25.0)"
    )
    by_field = queries.defect_rate_by_field(marts_only)
    assert sorted(by_field["field"]) == ["email", "phone (invalid)", "phone (unparseable)"]
    coverage = queries.coverage_by_crm_source(marts_only)
    assert coverage[["crm_source", "crm_customers", "missing_customers"]].values.tolist() == [
        ["all CRM sources", 6, 2],
        ["newsletter", 1, 7],
        ["salesforce", 6, 2],
    ]
    assert list(queries.defect_rate_by_channel(marts_only)["source_channel"].unique()) == [
        "import",
        "web_form",
    ]


def test_report_without_history_says_so(marts_only):
    document = build_report(marts_only)
    assert "No build recorded in the quality history yet." in document
    assert "No anomaly in the quality history." in document
    assert "No test results recorded yet." in document
    assert "25.00 %" in document and "40.00 %" in document
    assert document.count("Plotly.newPlot(") == 5


def test_report_with_history_lists_anomalies_and_failing_monitors(with_history):
    document = build_report(with_history, source_name="small.duckdb")
    assert document.count("Plotly.newPlot(") == 6
    assert "2 builds in the quality history" in document
    anomalies = document.split('id="anomalies"', 1)[1].split("</section>", 1)[0]
    assert "shortage_rate_pct" in anomalies and "37.50" in anomalies
    monitors = document.split('id="monitors"', 1)[1].split("</section>", 1)[0]
    failing = monitors.split("<h3>", 1)[0]
    assert "monitor_customer_shortage_rate" in failing and "status-warn" in failing
    assert "monitor_crm_defect_rate" not in failing
    assert "unique_dim_customers_customer_id" not in monitors


def test_latest_test_results_take_the_newest_run_only(with_history):
    results = queries.latest_test_results(with_history)
    assert sorted(results["test_name"]) == [
        "monitor_crm_defect_rate",
        "monitor_customer_shortage_rate",
    ]
    assert set(results["status"]) == {"warn", "pass"}


def test_write_report_creates_the_folder(tmp_path: Path, with_history):
    warehouse = tmp_path / "small.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(MARTS)
        connection.execute(HISTORY)
    out = write_report(warehouse, tmp_path / "reports" / "report.html")
    assert out == tmp_path / "reports" / "report.html"
    assert "small.duckdb" in out.read_text(encoding="utf-8")


MATCH_QUALITY = """
create table mart_match_quality as select * from (values
    ('r1', timestamp '2026-01-01 10:00', 0, 0, null, null, null, null, null, null,
     'no labelled pair among the scored pairs'),
    ('r2', timestamp '2026-01-02 10:00', 120, 118, 0.9812, 0.9433, 1.0, 0.9021, 0.8504, 0.9538,
     null)
) as quality(run_id, run_started_at, labelled_pairs, labelled_scored_pairs, estimated_precision,
             precision_ci_low, precision_ci_high, estimated_recall, recall_ci_low,
             recall_ci_high, estimate_note);
"""


def test_the_estimated_precision_is_shown_with_its_interval(with_history):
    without_labels = build_report(with_history)
    assert "No review labels yet" in without_labels
    with_history.execute(MATCH_QUALITY)
    document = build_report(with_history)
    quality = document.split('id="match-quality"', 1)[1].split("</section>", 1)[0]
    assert "figure-match-precision" in quality
    # The latest build first, with its estimate and both ends of the interval.
    first_row = quality.split("<tr>", 3)[2]
    assert all(value in first_row for value in ("118", "98.12", "94.33", "90.21", "95.38"))
    assert "no labelled pair among the scored pairs" in quality


def test_the_report_counts_its_builds_in_words():
    from crm_quality.report.build import _builds

    assert [_builds(count) for count in (0, 1, 2)] == ["0 builds", "1 build", "2 builds"]
