"""The report written from the shared history warehouse: its figures equal the warehouse."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from python_checks.dbt_runner import REPO_ROOT
from python_checks.integration.test_monitoring_builds import HistoryBuilds, shared_history

pytestmark = pytest.mark.integration

PLOT_CALL = re.compile(r'Plotly\.newPlot\(\s*"(?P<div_id>[^"]+)",\s*')


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> HistoryBuilds:
    return shared_history(tmp_path_factory)


@pytest.fixture(scope="session")
def report(history, tmp_path_factory) -> tuple[Path, str]:
    """Run the command line as `make build` does; returns the report's path and what it printed."""
    out = tmp_path_factory.mktemp("report") / "reports" / "data_quality_report.html"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm_quality.report",
            "--warehouse",
            str(history.warehouse),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out, completed.stdout


@pytest.fixture(scope="session")
def document(report) -> str:
    return report[0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plots(document) -> dict[str, dict]:
    """Every figure of the page by div id: its traces ('data') and 'layout'."""
    decoder = json.JSONDecoder()
    found = {}
    for match in PLOT_CALL.finditer(document):
        data, end = decoder.raw_decode(document, match.end())
        rest = document[end:].lstrip()
        assert rest.startswith(",")
        layout, _ = decoder.raw_decode(rest[1:].lstrip())
        found[match.group("div_id")] = {"data": data, "layout": layout}
    return found


def body_of(document: str) -> str:
    """The page without its inline plotly.js bundle (which carries third-party strings)."""
    return document.split("</head>", 1)[1]


def test_cli_writes_one_file_and_prints_its_path(report):
    path, printed = report
    assert printed.strip() == str(path)
    assert path.stat().st_size > 1_000_000  # plotly.js is inline


def test_report_is_self_contained(document):
    # No script, stylesheet or image is fetched: everything is inline.
    assert not re.search(r"<script[^>]*\ssrc=", document)
    assert not re.search(r"<(link|img|iframe)\b", document)
    assert document.count("Plotly.newPlot(") == 6


def test_trend_has_one_point_per_build(plots, history):
    traces = {trace["name"]: trace for trace in plots["figure-trend"]["data"]}
    shortage = [
        float(value)
        for (value,) in history.query(
            "select value from mart_data_quality_history "
            "where metric = 'shortage_rate_pct' and breakdown = 'overall' order by run_started_at"
        )
    ]
    assert traces["customer shortage"]["y"] == pytest.approx(shortage)
    assert len(traces["CRM defect rate: all"]["y"]) == len(history.builds)
    assert traces["CRM defect rate: completeness"]["visible"] == "legendonly"


def test_heatmap_matches_mart_defect_rate(plots, history):
    heatmap = plots["figure-field-heatmap"]["data"][0]
    checks = history.query(
        "select field, quality_dimension, defect_type, defect_rate_pct from mart_defect_rate "
        "where source_system = 'crm' and source_name = 'all' "
        "and source_channel = 'all' and defect_type <> 'any' "
        "and records_checked > 0"
    )
    checks_per_cell = Counter((field, dimension) for field, dimension, _, _ in checks)
    expected = {
        (
            field if checks_per_cell[(field, dimension)] == 1 else f"{field} ({defect_type})",
            dimension,
        ): float(rate)
        for field, dimension, defect_type, rate in checks
    }
    shown = {
        (field, dimension): value
        for field, row in zip(heatmap["y"], heatmap["z"], strict=True)
        for dimension, value in zip(heatmap["x"], row, strict=True)
        if value is not None
    }
    assert shown.keys() == expected.keys()
    for key, value in expected.items():
        assert shown[key] == pytest.approx(value, abs=1e-4), key


def test_channel_bars_match_mart_defect_rate(plots, history):
    traces = {trace["name"]: trace for trace in plots["figure-channels"]["data"]}
    expected = dict(
        history.query(
            "select source_channel, cast(defect_rate_pct as double) from mart_defect_rate "
            "where source_system = 'crm' and source_name = 'all' and source_channel <> 'all' "
            "and quality_dimension = 'all' and defect_type = 'any' and field = 'record'"
        )
    )
    shown = dict(zip(traces["all"]["x"], traces["all"]["y"], strict=True))
    assert shown == pytest.approx(expected)


def test_missing_by_country_matches_mart_customer_shortage(plots, history):
    bars = plots["figure-missing-countries"]["data"][0]
    expected = dict(
        history.query(
            "select breakdown_value, missing_customers from mart_customer_shortage "
            "where breakdown = 'country'"
        )
    )
    assert dict(zip(bars["x"], bars["y"], strict=True)) == expected


def test_coverage_by_source_matches_mart_customer_shortage(plots, history):
    traces = {trace["name"]: trace for trace in plots["figure-coverage-by-source"]["data"]}
    rows = history.query(
        "select case when breakdown = 'overall' then 'all CRM sources' else breakdown_value end, "
        "crm_customers, missing_customers from mart_customer_shortage "
        "where breakdown in ('overall', 'crm_source')"
    )
    assert dict(zip(traces["has"]["x"], traces["has"]["y"], strict=True)) == {
        source: has for source, has, _ in rows
    }
    assert dict(zip(traces["lacks"]["x"], traces["lacks"]["y"], strict=True)) == {
        source: lacks for source, _, lacks in rows
    }


def test_duplicate_clusters_show_counts_of_the_largest_clusters(plots, history):
    traces = {trace["name"]: trace for trace in plots["figure-clusters"]["data"]}
    largest = [
        count
        for (count,) in history.query(
            "select count(*) as crm_records from customer_xref where source_system = 'crm' "
            "and link_type = 'entity_resolution' "
            "group by customer_id having count(*) > 1 order by crm_records desc limit 10"
        )
    ]
    assert traces["CRM records"]["y"] == largest
    assert traces["CRM records"]["x"] == [f"#{rank}" for rank in range(1, len(largest) + 1)]


def test_latest_anomalies_and_monitors_are_listed(document, history):
    anomalies = history.query(
        "select breakdown_value from mart_quality_anomalies where is_latest_build and is_anomaly"
    )
    section = document.split('id="anomalies"', 1)[1].split("</section>", 1)[0]
    for (breakdown_value,) in anomalies:
        assert breakdown_value in section
    monitors = document.split('id="monitors"', 1)[1].split("</section>", 1)[0]
    assert "no_anomaly_in_latest_build" in monitors  # the warning test of the last build
    assert monitors.count("monitor_") >= 11


def test_no_email_or_phone_of_any_record_in_the_report(document, history):
    body = body_of(document)
    contact_details = set()
    for raw_dir in history.raw_dirs:
        for name in ("crm_contacts.csv", "billing_customers.csv"):
            with (raw_dir / name).open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    for column in ("email", "phone"):
                        value = (row[column] or "").strip()
                        if len(value) >= 6:
                            contact_details.add(value)
    for email, phone in history.query("select email, phone from dim_customers"):
        contact_details.update(value for value in (email, phone) if value)
    leaked = [value for value in contact_details if value in body]
    assert leaked == []
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body)
