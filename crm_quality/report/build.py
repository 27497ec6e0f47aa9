"""Build the report: queries → figures → one page.

Usage: python -m crm_quality.report --warehouse warehouse/crm_quality.duckdb \
    --out reports/data_quality_report.html
       python -m crm_quality.report --target postgres --out reports/data_quality_report.html
"""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from crm_quality.connect import connect_warehouse
from crm_quality.report import figures, queries
from crm_quality.report.render import figure_html, html_table, page, section

TITLE = "CRM customer-data quality report"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} %"


def _headline_cards(headline: dict[str, object]) -> str:
    cards = [
        (
            "Customer shortage (客户欠缺率)",
            _pct(headline["shortage_rate_pct"]),
            f"{headline['missing_customers']} of {headline['actual_customers']} actual customers "
            "are missing from the CRM",
        ),
        (
            "CRM defect rate (缺陷率)",
            _pct(headline["defect_rate_pct"]),
            f"{headline['defective_crm_records']} of {headline['crm_records']} CRM records have "
            "at least one defect",
        ),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div>{html.escape(label)}</div>'
            f'<div class="value">{html.escape(value)}</div>'
            f'<div class="meta">{html.escape(note)}</div></div>'
            for label, value, note in cards
        )
        + "</div>"
    )


def _builds(count: int) -> str:
    return f"{count} build" if count == 1 else f"{count} builds"


def build_report(connection: duckdb.DuckDBPyConnection, source_name: str = "") -> str:
    """The report's HTML, read from the warehouse behind `connection`."""
    trend = queries.headline_trend(connection)
    anomalies = queries.latest_anomalies(connection)
    results = queries.latest_test_results(connection)
    failing = results[results["status"].isin(["warn", "fail", "error"])]
    monitors = results[results["is_monitor"].fillna(False).astype(bool)]
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    intro = (
        f'<p class="meta">Generated {generated}'
        + (f" from <code>{html.escape(source_name)}</code>" if source_name else "")
        + f"; {_builds(queries.build_count(connection))} in the quality history."
        " Aggregates only: no names, emails or phone numbers.</p>"
    )
    sections = [
        section(
            "headline",
            "Headline",
            [
                _headline_cards(queries.headline(connection)),
                figure_html(figures.trend_figure(trend), "figure-trend")
                if not trend.empty
                else '<p class="empty">No build recorded in the quality history yet.</p>',
            ],
        ),
        section(
            "defects-by-field",
            "Defect rate by field and dimension",
            [
                figure_html(
                    figures.field_heatmap_figure(queries.defect_rate_by_field(connection)),
                    "figure-field-heatmap",
                )
            ],
        ),
        section(
            "defects-by-channel",
            "Defect rate by source channel",
            [
                figure_html(
                    figures.channel_figure(queries.defect_rate_by_channel(connection)),
                    "figure-channels",
                )
            ],
        ),
        section(
            "duplicate-clusters",
            "Largest duplicate clusters",
            [
                figure_html(
                    figures.clusters_figure(queries.largest_duplicate_clusters(connection)),
                    "figure-clusters",
                )
            ],
        ),
        section(
            "coverage-by-source",
            "Which system lacks whom",
            [
                figure_html(
                    figures.crm_source_coverage_figure(queries.coverage_by_crm_source(connection)),
                    "figure-coverage-by-source",
                )
            ],
        ),
        section(
            "missing-by-country",
            "Missing customers by country",
            [
                figure_html(
                    figures.missing_country_figure(
                        queries.missing_customers_by_country(connection)
                    ),
                    "figure-missing-countries",
                )
            ],
        ),
        _match_quality_section(queries.match_quality_history(connection)),
        section(
            "anomalies",
            "Latest anomalies",
            [
                html_table(
                    anomalies,
                    {
                        "run_started_at": "build",
                        "metric": "metric",
                        "breakdown_value": "breakdown",
                        "value": "value",
                        "baseline_median": "baseline median",
                        "allowed_departure": "allowed ±",
                        "robust_z": "robust z",
                    },
                    "No anomaly in the quality history.",
                )
            ],
        ),
        section(
            "monitors",
            "Failing monitors and tests (latest build)",
            [
                html_table(
                    failing,
                    {
                        "test_name": "test",
                        "tested_model": "model",
                        "status": "status",
                        "failures": "failures",
                        "measured_pct": "measured %",
                        "warn_pct": "warn above %",
                        "error_pct": "error above %",
                    },
                    "Every monitor and test passed in the latest build."
                    if queries.recorded_test_runs(connection)
                    else "No test results recorded yet.",
                ),
                "<h3>All monitors</h3>",
                html_table(
                    monitors,
                    {
                        "test_name": "monitor",
                        "status": "status",
                        "measured_pct": "measured %",
                        "warn_pct": "warn above %",
                        "error_pct": "error above %",
                    },
                    "No monitor results recorded yet.",
                ),
            ],
        ),
    ]
    return page(TITLE, intro, sections)


def _match_quality_section(history) -> str:
    """Entity resolution's precision and recall as a steward's labels measure them."""
    if history.empty or history["labelled_scored_pairs"].fillna(0).max() == 0:
        body = [
            '<p class="empty">No review labels yet: label a sample of pairs (make review-sample,'
            " docs/review.md) and rebuild with CRM_LABELS to measure precision and recall on"
            " this data.</p>"
        ]
    else:
        body = [figure_html(figures.match_precision_figure(history), "figure-match-precision")]
    latest_first = history.iloc[::-1].head(10).copy()
    shares = [name for name in latest_first.columns if "precision" in name or "recall" in name]
    latest_first[shares] = latest_first[shares].astype(float) * 100  # as percentages
    body.append(
        html_table(
            latest_first,
            {
                "run_started_at": "build",
                "labelled_scored_pairs": "labelled pairs",
                "estimated_precision": "precision %",
                "precision_ci_low": "95 % from",
                "precision_ci_high": "to",
                "estimated_recall": "recall %",
                "recall_ci_low": "95 % from",
                "recall_ci_high": "to",
                "estimate_note": "note",
            },
            "No build recorded in mart_match_quality yet.",
        )
    )
    return section("match-quality", "How right the matching is (from review labels)", body)


def _postgres_name() -> str:
    """The PostgreSQL warehouse as the report names it: database and schema."""
    database = os.environ.get("PGDATABASE", "")
    return f"{database}.{os.environ.get('CRM_PG_SCHEMA', 'main')}".lstrip(".")


def write_report(warehouse: Path | None, out: Path, target: str = "duckdb") -> Path:
    """Write the report of `warehouse` (a DuckDB file, or on the postgres target the
    PostgreSQL of the PG* variables) to `out` (directories created) and return its path."""
    with connect_warehouse(target, warehouse) as connection:
        source_name = warehouse.name if target == "duckdb" and warehouse else _postgres_name()
        document = build_report(connection, source_name=source_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document, encoding="utf-8")
    return out
