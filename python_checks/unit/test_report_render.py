"""Report page pieces: tables escape their content, the page is self-contained and refuses
contact details."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.report.render import (
    check_no_contact_details,
    format_value,
    html_table,
    page,
    section,
)


def test_format_value_blanks_missing_and_rounds_fractions():
    assert format_value(None) == ""
    assert format_value(float("nan")) == ""
    assert format_value(12.34567) == "12.35"
    assert format_value(1234.5) == "1,234.50"
    assert format_value(7) == "7"
    assert format_value("crm/all") == "crm/all"


def test_html_table_shows_the_chosen_columns_with_headings():
    frame = pd.DataFrame(
        {"test_name": ["monitor_a"], "status": ["warn"], "measured_pct": [12.5], "hidden": [1]}
    )
    table = html_table(frame, {"test_name": "test", "status": "status", "measured_pct": "%"}, "-")
    assert "<th>test</th><th>status</th><th>%</th>" in table
    assert '<td class="status-warn">warn</td>' in table
    assert '<td class="number">12.50</td>' in table
    assert "hidden" not in table


def test_html_table_of_nothing_is_the_note():
    assert html_table(pd.DataFrame(columns=["a"]), {"a": "A"}, "Nothing <here>") == (
        '<p class="empty">Nothing &lt;here&gt;</p>'
    )


@given(st.text())
def test_html_table_escapes_every_cell(text):
    table = html_table(pd.DataFrame({"value": [text]}), {"value": "value"}, "")
    cell = table.split("<tbody>", 1)[1]
    inner = re.sub(r"</?(tr|td|tbody|table)( class=\"[^\"]*\")?>", "", cell)
    assert "<" not in inner and ">" not in inner


@pytest.mark.parametrize(
    "content",
    [
        "<td>jane.doe@example.com</td>",
        "contact: a_b+c@mail.example.co.uk",
        "<td>+4917612345678</td>",
    ],
)
def test_contact_details_are_refused(content):
    with pytest.raises(ValueError, match="aggregates only"):
        check_no_contact_details(content)


def test_aggregates_pass_the_contact_check():
    check_no_contact_details(
        "crm/all/completeness/missing/email 12.50 % of 1422 records; +4.5 spread; 2026-06-30"
    )


def test_page_is_self_contained_and_checked():
    document = page("Report", "<p>intro</p>", [section("one", "One", ["<p>body</p>"])])
    assert document.startswith("<!DOCTYPE html>")
    assert '<section id="one"><h2>One</h2><p>body</p></section>' in document
    assert not re.search(r"<script[^>]*\ssrc=", document)
    assert len(document) > 1_000_000  # plotly.js inline
    with pytest.raises(ValueError):
        page("Report", "", [section("leak", "Leak", ["<td>someone@example.org</td>"])])
