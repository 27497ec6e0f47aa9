"""Assemble the report: HTML tables, figure fragments and one self-contained page.

The page carries plotly.js inline (no network, no CDN); every value shown is an aggregate.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE_PATTERN = re.compile(r"\+\d{8,15}\b")

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2933;
       background: #f5f7fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { margin-bottom: 4px; }
section { background: #fff; border-radius: 8px; padding: 16px 20px; margin: 16px 0;
          box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }
.meta { color: #616e7c; }
.cards { display: flex; gap: 16px; flex-wrap: wrap; }
.card { flex: 1 1 240px; border: 1px solid #e4e7eb; border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 2em; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e7eb; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.status-pass { color: #207227; } .status-warn { color: #b7791f; font-weight: 600; }
.status-fail, .status-error { color: #c53030; font-weight: 600; }
.empty { color: #616e7c; font-style: italic; }
"""


def format_value(value: object) -> str:
    """A cell's text: blank for missing, two decimals for fractional numbers."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def html_table(frame: pd.DataFrame, columns: Mapping[str, str], empty: str) -> str:
    """An escaped HTML table of the given columns (name → heading), or the `empty` note."""
    if frame.empty:
        return f'<p class="empty">{html.escape(empty)}</p>'
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for name in columns:
            value = record[name]
            css = []
            if isinstance(value, int | float) and not isinstance(value, bool):
                css.append("number")
            if name == "status":
                css.append(f"status-{html.escape(str(value))}")
            attribute = f' class="{" ".join(css)}"' if css else ""
            cells.append(f"<td{attribute}>{html.escape(format_value(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figure_html(figure: go.Figure, div_id: str) -> str:
    """A figure as an HTML fragment that uses the page's inline plotly.js."""
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def section(section_id: str, title: str, parts: Sequence[str]) -> str:
    """A titled section of the page."""
    return f'<section id="{section_id}"><h2>{html.escape(title)}</h2>{"".join(parts)}</section>'


def check_no_contact_details(text: str) -> None:
    """Refuse report content that contains an email address or an E.164 phone number."""
    for pattern, kind in ((EMAIL_PATTERN, "an email address"), (PHONE_PATTERN, "a phone number")):
        if pattern.search(text):
            raise ValueError(f"report content contains {kind}; it must hold aggregates only")


def page(title: str, intro: str, sections: Sequence[str]) -> str:
    """The whole self-contained page: styles, plotly.js and the sections."""
    body = f"<h1>{html.escape(title)}</h1>{intro}{''.join(sections)}"
    check_no_contact_details(body)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n"
        # The bundle include_plotlyjs=True would inline, once for the whole page.
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>\n'
        f"</head>\n<body>\n<main>{body}</main>\n</body>\n</html>\n"
    )
