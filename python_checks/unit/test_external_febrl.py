"""FEBRL mapped into the raw contract, with truth from its record ids."""

from __future__ import annotations

import json

import pandas as pd

from crm_quality.external.febrl import write_raw
from crm_quality.ingest.contract import RAW_CONTRACT


def test_dedup_layout_puts_every_record_in_the_crm(tmp_path):
    truth = write_raw("1", "dedup", tmp_path)
    crm = pd.read_csv(tmp_path / "crm_contacts.csv", dtype=str, keep_default_na=False)
    billing = pd.read_csv(tmp_path / "billing_customers.csv", dtype=str)
    assert list(crm.columns) == list(RAW_CONTRACT["crm_contacts"])
    assert len(crm) == 1000 and len(billing) == 0
    assert truth["crm_duplicate_records"] == 500 and truth["shortage_rate_pct"] is None
    assert set(crm["email"]) == {""} and set(crm["phone"]) == {""}
    assert crm["birth_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}|").all()


def test_link_layout_splits_originals_from_duplicates(tmp_path):
    truth = write_raw("2", "link", tmp_path)
    crm = pd.read_csv(tmp_path / "crm_contacts.csv", dtype=str)
    billing = pd.read_csv(tmp_path / "billing_customers.csv", dtype=str)
    assert crm["contact_id"].str.contains("-dup-").all()
    assert billing["account_id"].str.endswith("-org").all()
    assert (truth["actual_customers"], truth["actual_customers_in_crm"]) == (4000, 428)
    assert truth["shortage_rate_pct"] == 89.3
    records = pd.read_csv(tmp_path / "truth_records.csv", dtype=str)
    assert len(records) == len(crm) + len(billing)
    assert json.loads((tmp_path / "truth.json").read_text())["crm_duplicate_records"] == 572


def test_febrl4_links_file_a_to_file_b(tmp_path):
    truth = write_raw("4", "link", tmp_path)
    assert truth["crm_rows"] == truth["billing_rows"] == 5000
    assert truth["shortage_rate_pct"] == 0.0
