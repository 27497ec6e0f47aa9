"""Write the merge suggestions (fct_merge_suggestions) as files a data steward imports into the
CRM: suggestions to review and apply, never applied by the warehouse (docs/merge_suggestions.md).

Usage: python -m crm_quality.merge_export --warehouse warehouse/crm_quality.duckdb [--out exports]
       python -m crm_quality.merge_export --target postgres   (the PostgreSQL of the PG* variables)

Files written into the output directory:
  merge_suggestions.csv       every suggestion, the mart's columns (every CRM source);
  salesforce_merge.csv        Salesforce Contact sources: a master and at most two duplicates a
                              row, the limit of Salesforce's merge call, under Contact field names;
  salesforce_lead_merge.csv   Salesforce Lead sources, likewise under Lead field names;
  hubspot_merge.csv           HubSpot sources: one primary/secondary pair a row.
A source reaches a vendor's file by its preset in sources.yml (or --salesforce-contact,
--salesforce-lead, --hubspot); its records' ids are that tool's own ids.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crm_quality.connect import TARGETS, connect, connect_postgres, exit_when_unreadable
from crm_quality.spreadsheet import neutralized

SUGGESTIONS_SQL = "select * from fct_merge_suggestions"
# The generic file's row order, sorted here by code point: a database's collation may sort
# mixed-case ids (Salesforce's) or punctuation otherwise.
SUGGESTIONS_ORDER = ["source_name", "master_record_key", "duplicate_record_key"]
# The preset each CRM source was declared with (null for a source mapped by `columns:`).
SOURCE_PRESETS_SQL = """
    select distinct source_name, preset from stg_sources__fields
    where source_system = 'crm' and preset is not null
"""
# The mart's fields to keep, in the vendors' files' order.
KEPT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "country",
    "birth_date",
)
# A steward reads a score, not float noise: engines differ in its last bits (DuckDB wrote
# 0.9992611397977803 where PostgreSQL wrote …805), and the files are the same from either.
PROBABILITY_DECIMALS = 6
# Salesforce's merge() takes up to three records, the master included.
SALESFORCE_MERGE_LIMIT = 3


@dataclass(frozen=True)
class Vendor:
    """One vendor file: the presets whose sources it takes and its field names."""

    file_name: str
    presets: tuple[str, ...]
    field_names: Mapping[str, str]


SALESFORCE_CONTACT = Vendor(
    "salesforce_merge.csv",
    ("salesforce_contact",),
    {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "street_address": "MailingStreet",
        "postal_code": "MailingPostalCode",
        "city": "MailingCity",
        "country": "MailingCountry",
        "birth_date": "Birthdate",
    },
)
SALESFORCE_LEAD = Vendor(
    "salesforce_lead_merge.csv",
    ("salesforce_lead",),
    {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "street_address": "Street",
        "postal_code": "PostalCode",
        "city": "City",
        "country": "Country",
        "birth_date": "BirthDate",
    },
)
HUBSPOT = Vendor(
    "hubspot_merge.csv",
    ("hubspot_contact",),
    {
        "first_name": "firstname",
        "last_name": "lastname",
        "email": "email",
        "phone": "phone",
        "street_address": "address",
        "postal_code": "zip",
        "city": "city",
        "country": "country",
        "birth_date": "date_of_birth",
    },
)


def _kept_values(row: pd.Series, vendor: Vendor) -> dict[str, object]:
    return {vendor.field_names[field]: row[field] for field in KEPT_FIELDS}


def salesforce_groups(
    suggestions: pd.DataFrame, vendor: Vendor = SALESFORCE_CONTACT
) -> pd.DataFrame:
    """One row per merge call: a master and up to two of its duplicates (a master with five
    duplicates gives three rows, each naming the same master), with the values to keep."""
    rows = []
    for (source_name, master_id), group in suggestions.groupby(
        ["source_name", "master_source_record_id"], sort=True
    ):
        duplicate_ids = sorted(group["duplicate_source_record_id"])
        per_call = SALESFORCE_MERGE_LIMIT - 1
        for start in range(0, len(duplicate_ids), per_call):
            chunk = duplicate_ids[start : start + per_call]
            rows.append(
                {
                    "source_name": source_name,
                    "MasterRecordId": master_id,
                    "DuplicateRecordId1": chunk[0],
                    "DuplicateRecordId2": chunk[1] if len(chunk) > 1 else None,
                    **_kept_values(group.iloc[0], vendor),
                }
            )
    columns = [
        "source_name",
        "MasterRecordId",
        "DuplicateRecordId1",
        "DuplicateRecordId2",
        *vendor.field_names.values(),
    ]
    return pd.DataFrame(rows, columns=columns)


def hubspot_pairs(suggestions: pd.DataFrame, vendor: Vendor = HUBSPOT) -> pd.DataFrame:
    """One row per duplicate: HubSpot's merge call takes a primary and one record to merge."""
    rows = [
        {
            "source_name": row["source_name"],
            "primaryObjectId": row["master_source_record_id"],
            "objectIdToMerge": row["duplicate_source_record_id"],
            **_kept_values(row, vendor),
        }
        for _, row in suggestions.sort_values(
            ["source_name", "master_source_record_id", "duplicate_source_record_id"]
        ).iterrows()
    ]
    columns = ["source_name", "primaryObjectId", "objectIdToMerge", *vendor.field_names.values()]
    return pd.DataFrame(rows, columns=columns)


def vendor_sources(
    presets: Mapping[str, str | None], vendor: Vendor, named: Iterable[str] = ()
) -> set[str]:
    """The sources a vendor file takes: those declared with its presets, and any named."""
    return {name for name, preset in presets.items() if preset in vendor.presets} | set(named)


def for_vendor(suggestions: pd.DataFrame, sources: set[str]) -> pd.DataFrame:
    """The suggestions of `sources` that the CRM can find by id (has_crm_ids)."""
    chosen = suggestions["source_name"].isin(sources) & suggestions["has_crm_ids"].astype(bool)
    return suggestions[chosen]


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """Birth dates as ISO dates (YYYY-MM-DD), as the CRMs' imports read them; match
    probabilities to PROBABILITY_DECIMALS."""
    frame = frame.copy()
    frame["birth_date"] = pd.to_datetime(frame["birth_date"]).dt.strftime("%Y-%m-%d")
    frame["match_probability"] = frame["match_probability"].round(PROBABILITY_DECIMALS)
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    neutralized(frame).to_csv(path, index=False, encoding="utf-8")


@dataclass(frozen=True)
class ExportSummary:
    suggestions: int
    files: Mapping[str, int]
    sources: Mapping[str, int]

    def text(self, out_dir: Path) -> str:
        lines = [f"{self.suggestions} records to merge into a master, written to {out_dir}/:"]
        lines += [f"  {name:<28} {rows:>6} rows" for name, rows in self.files.items()]
        lines.append("  records to merge per CRM source:")
        lines += [f"    {source:<26} {count:>6}" for source, count in self.sources.items()]
        lines.append("Suggestions for a data steward to review and apply: nothing was merged.")
        return "\n".join(lines)


def export(
    suggestions: pd.DataFrame,
    presets: Mapping[str, str | None],
    out_dir: Path,
    named_sources: Mapping[str, Iterable[str]] | None = None,
) -> ExportSummary:
    """Write the generic file and each vendor's file into out_dir; returns what was written."""
    named_sources = named_sources or {}
    out_dir.mkdir(parents=True, exist_ok=True)
    suggestions = _as_written(suggestions)
    files = {"merge_suggestions.csv": len(suggestions)}
    write_csv(suggestions, out_dir / "merge_suggestions.csv")
    for vendor, shape in (
        (SALESFORCE_CONTACT, salesforce_groups),
        (SALESFORCE_LEAD, salesforce_groups),
        (HUBSPOT, hubspot_pairs),
    ):
        sources = vendor_sources(presets, vendor, named_sources.get(vendor.file_name, ()))
        path = out_dir / vendor.file_name
        if not sources:
            path.unlink(missing_ok=True)  # no stale file from an earlier export
            continue
        shaped = shape(for_vendor(suggestions, sources), vendor)
        write_csv(shaped, path)
        files[vendor.file_name] = len(shaped)
    counts = suggestions["source_name"].value_counts().sort_index()
    return ExportSummary(len(suggestions), files, {str(k): int(v) for k, v in counts.items()})


def read_warehouse(
    target: str, warehouse: Path | None
) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """The suggestions and each CRM source's preset, from the published warehouse."""
    if target == "postgres":
        connection = connect_postgres(restricted=True)
    else:
        connection = connect(warehouse, restricted=True)
    with connection:
        suggestions = connection.execute(SUGGESTIONS_SQL).fetchdf()
        presets = dict(connection.execute(SOURCE_PRESETS_SQL).fetchall())
    return suggestions.sort_values(SUGGESTIONS_ORDER, ignore_index=True), presets


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crm_quality.merge_export", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=os.environ.get("CRM_DUCKDB_PATH"),
        help="the DuckDB warehouse file (default CRM_DUCKDB_PATH)",
    )
    parser.add_argument("--target", choices=TARGETS, default="duckdb")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("EXPORT_DIR") or "exports"))
    for flag, vendor in (
        ("--salesforce-contact", SALESFORCE_CONTACT),
        ("--salesforce-lead", SALESFORCE_LEAD),
        ("--hubspot", HUBSPOT),
    ):
        parser.add_argument(
            flag,
            action="append",
            default=[],
            metavar="SOURCE",
            dest=vendor.file_name,
            help=f"a source_name to write into {vendor.file_name} besides those of preset "
            + ", ".join(vendor.presets),
        )
    args = parser.parse_args()
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("the DuckDB target needs --warehouse (or CRM_DUCKDB_PATH)")
    with exit_when_unreadable(args.target, args.warehouse):
        suggestions, presets = read_warehouse(args.target, args.warehouse)
    named = {
        vendor.file_name: getattr(args, vendor.file_name)
        for vendor in (SALESFORCE_CONTACT, SALESFORCE_LEAD, HUBSPOT)
    }
    print(export(suggestions, presets, args.out, named).text(args.out))


if __name__ == "__main__":
    main()
