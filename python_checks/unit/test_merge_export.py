"""The merge export's shapes: Salesforce merge calls of at most three records, HubSpot pairs,
the sources each vendor file takes, and formula neutralization (the SQL macro's rule)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_quality import merge_export
from crm_quality.merge_export import (
    export,
    hubspot_pairs,
    salesforce_groups,
)
from crm_quality.spreadsheet import neutralize_formula

REPO_ROOT = Path(__file__).resolve().parents[2]


def suggestions(groups: dict[tuple[str, str], int], has_crm_ids: bool = True) -> pd.DataFrame:
    """Suggestions for masters (source, id) with so many duplicates each."""
    rows = []
    for (source, master), count in groups.items():
        for number in range(count):
            rows.append(
                {
                    "master_record_key": f"{source}:{master}",
                    "duplicate_record_key": f"{source}:{master}-d{number}",
                    "source_name": source,
                    "master_source_record_id": master,
                    "duplicate_source_record_id": f"{master}-d{number}",
                    "has_crm_ids": has_crm_ids,
                    "customer_id": f"cust_{master}",
                    "match_probability": 0.999,
                    "evidence_record_key": f"{source}:{master}",
                    "reason": "email: exact; birth date: exact",
                    "first_name": '=HYPERLINK("http://x")',
                    "last_name": "Meier",
                    "email": "a@example.com",
                    "phone": "+4930123456",
                    "street_address": "Hauptstraße 1",
                    "postal_code": "10115",
                    "city": "Berlin",
                    "country": "DE",
                    "birth_date": pd.Timestamp("1980-02-03"),
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("duplicates", [1, 2, 3, 4, 5, 7])
def test_salesforce_groups_hold_at_most_three_records_and_cover_each_suggestion_once(duplicates):
    frame = suggestions({("sf", "M1"): duplicates, ("sf", "M2"): 2, ("other", "M1"): 1})
    groups = salesforce_groups(frame)
    records_per_call = 1 + groups[["DuplicateRecordId1", "DuplicateRecordId2"]].notna().sum(axis=1)
    assert (records_per_call <= 3).all()  # Salesforce's merge() limit, the master included
    assert groups["DuplicateRecordId1"].notna().all()
    covered = [
        (row.source_name, row.MasterRecordId, duplicate)
        for row in groups.itertuples()
        for duplicate in (row.DuplicateRecordId1, row.DuplicateRecordId2)
        if isinstance(duplicate, str)
    ]
    expected = list(
        zip(
            frame.source_name,
            frame.master_source_record_id,
            frame.duplicate_source_record_id,
            strict=True,
        )
    )
    assert sorted(covered) == sorted(expected)
    # As few calls as the limit allows: a master with five duplicates gives three rows.
    calls = groups[(groups.source_name == "sf") & (groups.MasterRecordId == "M1")]
    assert len(calls) == -(-duplicates // 2)


def test_salesforce_groups_carry_the_values_to_keep_under_contact_field_names():
    groups = salesforce_groups(suggestions({("sf", "M1"): 1}))
    assert list(groups.columns) == [
        "source_name", "MasterRecordId", "DuplicateRecordId1", "DuplicateRecordId2",
        "FirstName", "LastName", "Email", "Phone", "MailingStreet", "MailingPostalCode",
        "MailingCity", "MailingCountry", "Birthdate",
    ]  # fmt: skip
    assert groups.loc[0, "MailingCity"] == "Berlin"


def test_hubspot_pairs_one_row_per_suggestion():
    frame = suggestions({("hs", "7"): 3, ("hs", "9"): 1})
    pairs = hubspot_pairs(frame)
    assert len(pairs) == len(frame)
    assert set(zip(pairs.primaryObjectId, pairs.objectIdToMerge, strict=True)) == set(
        zip(frame.master_source_record_id, frame.duplicate_source_record_id, strict=True)
    )
    assert {"firstname", "lastname", "address", "zip", "date_of_birth"} <= set(pairs.columns)


def test_vendor_files_take_their_presets_sources_with_crm_ids_only(tmp_path):
    frame = pd.concat(
        [
            suggestions({("salesforce_contacts", "003A"): 2}),
            suggestions({("hubspot", "11"): 1}),
            suggestions({("hubspot", "12"): 1}, has_crm_ids=False),
            suggestions({("newsletter", "N1"): 1}),
        ],
        ignore_index=True,
    )
    presets = {"salesforce_contacts": "salesforce_contact", "hubspot": "hubspot_contact"}
    summary = export(frame, presets, tmp_path)
    read = {name: pd.read_csv(tmp_path / name, dtype=str) for name in summary.files}
    assert set(read) == {"merge_suggestions.csv", "salesforce_merge.csv", "hubspot_merge.csv"}
    assert len(read["merge_suggestions.csv"]) == len(frame)
    assert set(read["salesforce_merge.csv"].source_name) == {"salesforce_contacts"}
    assert list(read["hubspot_merge.csv"].primaryObjectId) == ["11"]
    assert read["merge_suggestions.csv"].birth_date.eq("1980-02-03").all()
    # Every text cell neutralized, in every file.
    for name in read:
        first_names = read[name].get(
            "first_name", read[name].get("FirstName", read[name].get("firstname"))
        )
        assert first_names.str.startswith("'=HYPERLINK").all(), name
    # A source named on the command line joins a vendor's file.
    export(frame, presets, tmp_path, {"hubspot_merge.csv": ["newsletter"]})
    assert "N1" in set(pd.read_csv(tmp_path / "hubspot_merge.csv", dtype=str).primaryObjectId)
    # No source for a vendor: no stale file is left behind.
    export(frame, {}, tmp_path)
    assert not (tmp_path / "salesforce_merge.csv").exists()


def test_match_probabilities_are_written_without_the_engines_float_noise(tmp_path):
    frame = pd.concat(
        [suggestions({("hubspot", "11"): 1}), suggestions({("hubspot", "12"): 1})],
        ignore_index=True,
    )
    frame["match_probability"] = [0.9992611397977803, 0.9992611397977805]
    export(frame, {"hubspot": "hubspot_contact"}, tmp_path)
    written = pd.read_csv(tmp_path / "merge_suggestions.csv", dtype=str)
    assert list(written.match_probability) == ["0.999261", "0.999261"]


FORMULA_CASES = [
    "=SUM(1)", "@SUM(1)", "\tx", "\rx", "+1+2", "-x", "+49 abc", "-2+3", "=", "+",
    "+4930123456", "+1 (555) 123-4567", "-12.5", "Anna", "anna@example.com", "", "1+1",
    "O'Brien", "-", "(+1)",
]  # fmt: skip


def _macro_sql() -> str:
    """The DuckDB body of macros/utils/neutralize_formula.sql, for a column named value."""
    text = (REPO_ROOT / "macros/utils/neutralize_formula.sql").read_text(encoding="utf-8")
    body = re.search(r"default__neutralize_formula\(expression\) %}(.*?){% endmacro %}", text, re.S)
    return body.group(1).replace("{{ expression }}", "value")


def test_neutralize_formula_follows_the_sql_macro():
    connection = duckdb.connect()
    expected = dict(
        connection.execute(
            f"select value, {_macro_sql()} from unnest(?) as cases(value)", [FORMULA_CASES]
        ).fetchall()
    )
    assert {case: neutralize_formula(case) for case in FORMULA_CASES} == expected
    assert neutralize_formula("=SUM(1)") == "'=SUM(1)"
    assert neutralize_formula("+4930123456") == "+4930123456"


def test_neutralize_formula_leaves_other_values():
    for value in (None, 1.5, pd.Timestamp("2020-01-01")):
        assert neutralize_formula(value) is value
    assert merge_export.neutralized(pd.DataFrame({"a": ["@x", None]})).a.tolist()[0] == "'@x"
