"""Record conservation counted independently of the loader: every record of every raw file,
as Python's csv module reads it, reaches staging or the quarantine.

The loader reads clean files with DuckDB's strict CSV reader and the rest with its own line
splitter (crm_quality/ingest); the dbt test tests/staging/assert_raw_rows_conserved.sql takes
the loader's count of rows read as given. Here a third reader counts the records, so a row
lost inside the loader fails. Files with unbalanced quotes, where readers disagree on what a
record is, are counted by their fixture instead (test_bad_input.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from crm_quality.ingest import RAW_CONTRACT
from python_checks.dbt_runner import DbtRun, generate_demo, run_dbt

pytestmark = pytest.mark.integration

SOURCES = {"crm": "crm_contacts", "billing": "billing_customers", "orders": "orders"}
STAGING = {
    "crm": "stg_crm__contacts",
    "billing": "stg_billing__customers",
    "orders": "stg_billing__orders",
}
LOADING_MODELS = [*STAGING.values(), "int_raw_rows_quarantined"]


def csv_records(path: Path) -> int:
    """Data records in a CSV file by Python's csv module: a quoted newline stays inside its
    record, a blank line is no record, nor is a row of only delimiters and blanks. Latin-1
    decoding keeps every byte (the quotes, commas and line ends that delimit records are ASCII
    in any of the encodings exports use)."""
    rows = csv.reader(io.StringIO(path.read_bytes().decode("latin-1"), newline=""), strict=True)
    next(rows)  # the header
    return sum(1 for row in rows if any(field.strip() for field in row))


def loaded_rows(run: DbtRun) -> dict[str, int]:
    """Rows per source that reached staging or the quarantine."""
    return {
        source_system: run.scalar(f"select count(*) from {staging}")
        + run.scalar(
            f"select count(*) from int_raw_rows_quarantined where source_system = '{source_system}'"
        )
        for source_system, staging in STAGING.items()
    }


def file_records(raw_dir: Path) -> dict[str, int]:
    return {source: csv_records(raw_dir / f"{table}.csv") for source, table in SOURCES.items()}


def test_every_record_of_clean_files_is_loaded(warehouse):
    # The shared build's raw directory sits beside its build directory (conftest.py).
    raw_dir = warehouse.warehouse.parent.parent / "raw"
    expected = file_records(raw_dir)
    assert min(expected.values()) > 1000
    assert loaded_rows(warehouse) == expected


def messy_row(table: str, *values: str) -> list[str]:
    """A row of `table` whose first fields are `values`, the rest empty."""
    return [*values, *[""] * (len(RAW_CONTRACT[table]) - len(values))]


def append_messy_rows(path: Path, table: str) -> None:
    """Rows that send the file through the forgiving reader: a Latin-1 byte, a quoted
    newline, a blank line, a row of only delimiters (Excel's empty row: no record either) and
    a row with a field too many (quarantined)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(messy_row(table, "M1", "Z\xfcrich"))
    writer.writerow(messy_row(table, "M2", "x", "Line 1\nLine 2"))
    buffer.write("\r\n")
    writer.writerow(messy_row(table))
    writer.writerow([*messy_row(table, "M3"), "extra"])
    with path.open("ab") as handle:
        handle.write(buffer.getvalue().encode("latin-1"))


@pytest.fixture(scope="module")
def messy_load(tmp_path_factory) -> tuple[Path, DbtRun]:
    root = tmp_path_factory.mktemp("messy_load")
    raw_dir = root / "raw"
    generate_demo(raw_dir, people=400, seed=11)
    for table in SOURCES.values():
        append_messy_rows(raw_dir / f"{table}.csv", table)
    run = run_dbt(["run", "--select", *LOADING_MODELS, "+int_raw_rows_quarantined"], raw_dir, root)
    assert run.returncode == 0, run.output[-4000:]
    return raw_dir, run


def test_every_record_of_files_needing_repair_is_loaded(messy_load):
    raw_dir, run = messy_load
    # The forgiving reader did the loading: it numbers lines, DuckDB's reader does not.
    assert run.scalar("select count(_line_number) from base_crm__contacts") > 100
    assert run.scalar("select count(*) from int_raw_rows_quarantined") == len(SOURCES)
    assert loaded_rows(run) == file_records(raw_dir)
