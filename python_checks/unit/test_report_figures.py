"""Report figures: each one shows exactly the values of the frame it is given."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from crm_quality.report import figures


def test_trend_shows_headline_series_and_hides_the_dimensions():
    trend = pd.DataFrame(
        {
            "run_started_at": [datetime(2026, 1, day) for day in (1, 2, 1, 2, 1, 2)],
            "series": ["customer shortage"] * 2
            + ["CRM defect rate: all"] * 2
            + ["CRM defect rate: validity"] * 2,
            "value": [12.0, 12.5, 47.0, None, 8.0, 8.5],
        }
    )
    traces = {trace.name: trace for trace in figures.trend_figure(trend).data}
    assert list(traces["customer shortage"].y) == [12.0, 12.5]
    assert list(traces["CRM defect rate: all"].y) == [47.0, None]
    assert traces["customer shortage"].visible is True
    assert traces["CRM defect rate: validity"].visible == "legendonly"
    assert list(traces["customer shortage"].x) == ["2026-01-01 00:00:00", "2026-01-02 00:00:00"]


def test_trend_names_each_build_to_the_second_on_an_axis_of_builds():
    trend = pd.DataFrame(
        {
            "run_started_at": [datetime(2026, 12, 5, 7, 32, 4, 997473)],
            "series": ["customer shortage"],
            "value": [9.93],
        }
    )
    figure = figures.trend_figure(trend)
    assert list(figure.data[0].x) == ["2026-12-05 07:32:04"]
    assert figure.layout.xaxis.type == "category"


def test_heatmap_places_each_rate_at_its_field_and_dimension():
    by_field = pd.DataFrame(
        {
            "field": ["email", "email", "phone", "record"],
            "quality_dimension": ["completeness", "validity", "validity", "uniqueness"],
            "defective_records": [5, 3, 2, 10],
            "records_checked": [100, 95, 90, 100],
            "defect_rate_pct": [5.0, 3.1579, 2.2222, 10.0],
        }
    )
    heatmap = figures.field_heatmap_figure(by_field).data[0]
    assert list(heatmap.x) == ["completeness", "validity", "uniqueness"]
    assert list(heatmap.y) == ["email", "phone", "record"]
    assert [list(row) for row in heatmap.z] == [
        [5.0, 3.1579, None],
        [None, 2.2222, None],
        [None, None, 10.0],
    ]


def test_channel_bars_one_trace_per_dimension_in_order():
    by_channel = pd.DataFrame(
        {
            "source_channel": ["event", "web_form", "event", "web_form"],
            "quality_dimension": ["validity", "validity", "all", "all"],
            "records_checked": [10, 20, 10, 20],
            "defective_records": [1, 4, 5, 6],
            "defect_rate_pct": [10.0, 20.0, 50.0, 30.0],
        }
    )
    traces = figures.channel_figure(by_channel).data
    assert [trace.name for trace in traces] == ["all", "validity"]
    assert list(traces[0].x) == ["event", "web_form"] and list(traces[0].y) == [50.0, 30.0]
    assert [list(point) for point in traces[0].customdata] == [[5, 10], [6, 20]]


def test_clusters_are_labelled_by_rank_only():
    clusters = pd.DataFrame(
        {
            "cluster_rank": [1, 2],
            "crm_records": [5, 3],
            "billing_records": [1, 0],
            "records": [6, 3],
        }
    )
    figure = figures.clusters_figure(clusters)
    assert [list(trace.x) for trace in figure.data] == [["#1", "#2"], ["#1", "#2"]]
    assert list(figure.data[0].y) == [5, 3] and list(figure.data[1].y) == [1, 0]
    assert figure.layout.barmode == "stack"


def test_missing_by_country_bars():
    by_country = pd.DataFrame(
        {
            "country": ["US", "DE", "unknown"],
            "actual_customers": [300, 200, 1],
            "missing_customers": [50, 20, 1],
            "shortage_rate_pct": [16.6667, 10.0, 100.0],
        }
    )
    bars = figures.missing_country_figure(by_country).data[0]
    assert list(bars.x) == ["US", "DE", "unknown"]
    assert list(bars.y) == [50, 20, 1]
    assert [list(point) for point in bars.customdata][0] == [300, 16.6667]


def test_coverage_by_source_stacks_what_each_source_has_and_lacks():
    coverage = pd.DataFrame(
        {
            "crm_source": ["all CRM sources", "newsletter", "hubspot"],
            "actual_customers": [100, 100, 100],
            "crm_customers": [90, 20, 60],
            "missing_customers": [10, 80, 40],
            "shortage_rate_pct": [10.0, 80.0, 40.0],
        }
    )
    has, lacks = figures.crm_source_coverage_figure(coverage).data
    assert list(has.x) == list(lacks.x) == ["all CRM sources", "newsletter", "hubspot"]
    assert list(has.y) == [90, 20, 60] and list(lacks.y) == [10, 80, 40]
    assert list(lacks.customdata) == [10.0, 80.0, 40.0]
