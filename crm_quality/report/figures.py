"""Plotly figures of the report, one pure function per figure: DataFrame in, Figure out.

Values are handed to Plotly as plain lists, so the HTML carries readable numbers (not binary
arrays) that tests can compare with the warehouse.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

DIMENSIONS = ["completeness", "validity", "accuracy", "uniqueness", "timeliness"]
HEADLINE_SERIES = ("customer shortage", "CRM defect rate: all")


def _values(series: pd.Series) -> list:
    """Plain Python values, None for missing."""
    return [None if pd.isna(value) else value for value in series.tolist()]


def _layout(figure: go.Figure, title: str, **layout: object) -> go.Figure:
    defaults = {
        "title": {"text": title, "x": 0},
        "template": "plotly_white",
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "height": 420,
    }
    figure.update_layout(**{**defaults, **layout})
    return figure


def trend_figure(trend: pd.DataFrame) -> go.Figure:
    """Headline rates over builds; per-dimension defect rates start hidden in the legend.

    One tick per build, named to the second: on a time axis a first build alone was drawn
    over a span of microseconds, and builds days apart left weeks of empty axis between them.
    """
    figure = go.Figure()
    for series, rows in trend.groupby("series", sort=False):
        figure.add_trace(
            go.Scatter(
                x=[f"{moment:%Y-%m-%d %H:%M:%S}" for moment in rows["run_started_at"]],
                y=_values(rows["value"]),
                name=str(series),
                mode="lines+markers",
                visible=True if series in HEADLINE_SERIES else "legendonly",
            )
        )
    return _layout(
        figure,
        "Shortage and CRM defect rate over builds",
        yaxis_title="%",
        xaxis={"title": "build", "type": "category", "categoryorder": "category ascending"},
    )


def field_heatmap_figure(by_field: pd.DataFrame) -> go.Figure:
    """CRM defect rate by field (rows) × dimension (columns); blank where no check exists."""
    dimensions = [d for d in DIMENSIONS if d in set(by_field["quality_dimension"])]
    fields = sorted(set(by_field["field"]))
    rates = {
        (row.field, row.quality_dimension): row.defect_rate_pct
        for row in by_field.itertuples(index=False)
    }
    z = [
        [
            None if pd.isna(rates.get((field, dim), None)) else float(rates[(field, dim)])
            for dim in dimensions
        ]
        for field in fields
    ]
    figure = go.Figure(
        go.Heatmap(
            x=dimensions,
            y=fields,
            z=z,
            colorscale="Reds",
            colorbar={"title": {"text": "%"}},
            texttemplate="%{z:.1f}",
            hovertemplate="%{y} · %{x}: %{z:.2f} %<extra></extra>",
        )
    )
    return _layout(figure, "CRM defect rate by field × dimension (%)", height=460)


def channel_figure(by_channel: pd.DataFrame) -> go.Figure:
    """CRM records with at least one defect per source channel, one bar group per dimension."""
    figure = go.Figure()
    for dimension in ["all", *DIMENSIONS]:
        rows = by_channel[by_channel["quality_dimension"] == dimension]
        if rows.empty:
            continue
        figure.add_trace(
            go.Bar(
                x=rows["source_channel"].tolist(),
                y=_values(rows["defect_rate_pct"]),
                name=dimension,
                customdata=list(
                    zip(
                        rows["defective_records"].tolist(),
                        rows["records_checked"].tolist(),
                        strict=True,
                    )
                ),
                hovertemplate="%{x}: %{y:.2f} % (%{customdata[0]} of %{customdata[1]})"
                "<extra>" + dimension + "</extra>",
            )
        )
    return _layout(
        figure, "CRM defect rate by source channel (%)", barmode="group", yaxis_title="%"
    )


def clusters_figure(clusters: pd.DataFrame) -> go.Figure:
    """Largest duplicate clusters: CRM and billing records per customer, by rank only."""
    labels = [f"#{rank}" for rank in clusters["cluster_rank"].tolist()]
    figure = go.Figure(
        [
            go.Bar(x=labels, y=clusters["crm_records"].tolist(), name="CRM records"),
            go.Bar(x=labels, y=clusters["billing_records"].tolist(), name="billing records"),
        ]
    )
    return _layout(
        figure,
        "Largest duplicate clusters (records per customer)",
        barmode="stack",
        xaxis_title="cluster (by CRM records)",
        yaxis_title="records",
    )


def crm_source_coverage_figure(coverage: pd.DataFrame) -> go.Figure:
    """Per CRM source, the actual customers it has and the ones it lacks (stacked)."""
    sources = coverage["crm_source"].tolist()
    rates = _values(coverage["shortage_rate_pct"])
    figure = go.Figure(
        [
            go.Bar(
                x=sources,
                y=coverage["crm_customers"].tolist(),
                name="has",
                marker_color="#4c78a8",
                hovertemplate="%{x} has %{y} actual customers<extra></extra>",
            ),
            go.Bar(
                x=sources,
                y=coverage["missing_customers"].tolist(),
                name="lacks",
                marker_color="#e45756",
                customdata=rates,
                hovertemplate="%{x} lacks %{y} actual customers (%{customdata:.2f} %)"
                "<extra></extra>",
            ),
        ]
    )
    return _layout(
        figure,
        "Which system lacks whom: actual customers per CRM source",
        barmode="stack",
        xaxis_title="CRM source",
        yaxis_title="actual customers",
    )


def missing_country_figure(by_country: pd.DataFrame) -> go.Figure:
    """Actual customers missing from the CRM, per country."""
    figure = go.Figure(
        go.Bar(
            x=by_country["country"].tolist(),
            y=by_country["missing_customers"].tolist(),
            customdata=list(
                zip(
                    by_country["actual_customers"].tolist(),
                    _values(by_country["shortage_rate_pct"]),
                    strict=True,
                )
            ),
            hovertemplate="%{x}: %{y} of %{customdata[0]} missing (%{customdata[1]:.2f} %)"
            "<extra></extra>",
            name="missing customers",
        )
    )
    return _layout(
        figure, "Missing customers by country", xaxis_title="country", yaxis_title="customers"
    )


def match_precision_figure(history: pd.DataFrame) -> go.Figure:
    """The estimated match precision per build with its 95 % interval, as labels accumulate."""
    estimated = history.dropna(subset=["estimated_precision"])
    precision = estimated["estimated_precision"].astype(float)
    figure = go.Figure(
        go.Scatter(
            x=_values(estimated["run_started_at"]),
            y=precision.tolist(),
            mode="lines+markers",
            name="estimated precision",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (estimated["precision_ci_high"].astype(float) - precision).tolist(),
                "arrayminus": (precision - estimated["precision_ci_low"].astype(float)).tolist(),
            },
            text=[f"{int(n)} labelled pairs" for n in estimated["labelled_scored_pairs"]],
        )
    )
    return _layout(
        figure,
        "Match precision at the headline threshold, from review labels (95 % interval)",
        yaxis_title="precision",
        yaxis_range=[0, 1.02],
    )
