"""Sources that declare how their slashed dates read (sources.yml `date_order`).

The shared generated data again, with its CRM export written the way a US Salesforce report or
Excel in the US locale writes it (birth dates M/D/YYYY, timestamps M/D/YYYY h:mm:ss AM/PM) and
declared `date_order: month_first`, its orders written D/M/YYYY and declared `day_first`, and a
few billing birth dates written M/D/YYYY in a source declaring no order. Required: every CRM
date and order date reads as the shared build read the ISO and German originals (the same
values, statuses and date figures), while the billing source keeps the default and finds the
slashed dates it was given invalid.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from crm_quality.standardize import parse_date, parse_timestamp
from python_checks.dbt_runner import DbtRun, run_dbt

pytestmark = pytest.mark.integration

SOURCES_YML = """\
crm:
  - {name: crm, file: crm_contacts.csv, date_order: month_first}
billing:
  - {name: billing, file: billing_customers.csv}
orders:
  - {name: orders, file: orders.csv, date_order: day_first}
"""
# Billing birth dates written M/D/YYYY in a source that declares no order.
BILLING_SLASHED = 40
VALID_BIRTH_DATES = (date(1910, 1, 1), date(2020, 1, 1))
# The CRM figures that read its dates (none rests on entity resolution).
DATE_CHECKS = """(
    ('validity', 'invalid', 'birth_date'),
    ('validity', 'invalid', 'created_at'),
    ('validity', 'invalid', 'updated_at'),
    ('timeliness', 'stale', 'last_touched_at'),
    ('completeness', 'missing', 'last_touched_at')
)"""


def _us_date(day, padded: bool) -> str:
    return f"{day:%m/%d/%Y}" if padded else f"{day.month}/{day.day}/{day.year}"


def _us_timestamp(text: str, padded: bool) -> str | None:
    """The timestamp as a US export writes it; None when it is no real timestamp."""
    moment = parse_timestamp(text)
    if moment is None:
        return None
    written = _us_date(moment.date(), padded)
    if ":" not in text:
        return written
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment:%M}" + (f":{moment:%S}" if moment.second or padded else "")
    return f"{written} {clock} {'AM' if moment.hour < 12 else 'PM'}"


def _written(fields: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _rewrite(path: Path, rewrite) -> int:
    """Rewrite each row of a CSV file in place (`rewrite(row, position)` returns whether it
    changed the row), every other byte as it was; returns the rows changed."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields, rows = list(reader.fieldnames or ()), list(reader)
    assert _written(fields, rows) == text, f"{path.name} does not survive a rewrite as it is"
    changed = sum(bool(rewrite(row, position)) for position, row in enumerate(rows))
    path.write_text(_written(fields, rows), encoding="utf-8")
    return changed


def _crm_row(row: dict[str, str], position: int) -> bool:
    changed = False
    padded = position % 2 == 0
    day = parse_date(row["birth_date"])
    if day is not None:
        row["birth_date"] = _us_date(day, padded)
        changed = True
    for column in ("created_at", "updated_at"):
        written = _us_timestamp(row[column], padded)
        if written is not None:
            row[column] = written
            changed = True
    return changed


def _order_row(row: dict[str, str], position: int) -> bool:
    day = parse_date(row["order_date"])
    if day is None:
        return False
    row["order_date"] = f"{day.day}/{day.month}/{day.year}"
    return True


@pytest.fixture(scope="module")
def slashed(warehouse: DbtRun, tmp_path_factory) -> tuple[DbtRun, dict[str, int]]:
    """The shared build's raw data with US and day-first dates, declared, built."""
    shared_raw = warehouse.warehouse.parent.parent / "raw"
    assert (shared_raw / "crm_contacts.csv").is_file(), shared_raw
    root = tmp_path_factory.mktemp("date_orders")
    raw = root / "raw"
    shutil.copytree(shared_raw, raw)
    (raw / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")

    def billing_row(row: dict[str, str], position: int) -> bool:
        day = parse_date(row["birth_date"])
        # Birth dates the shared build found valid (no later than it, nor 120 years before).
        if day is None or not VALID_BIRTH_DATES[0] <= day <= VALID_BIRTH_DATES[1]:
            return False
        if position >= BILLING_SLASHED:
            return False
        row["birth_date"] = _us_date(day, padded=False)
        return True

    counts = {
        "crm": _rewrite(raw / "crm_contacts.csv", _crm_row),
        "orders": _rewrite(raw / "orders.csv", _order_row),
        "billing": _rewrite(raw / "billing_customers.csv", billing_row),
    }
    run = run_dbt(["build"], raw, root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return run, counts


def test_the_exports_are_written_with_slashes(slashed):
    run, counts = slashed
    assert counts["crm"] > 2000 and counts["orders"] > 5000
    assert counts["billing"] > BILLING_SLASHED // 2
    texts = run.query(
        "select count(*) filter (where created_at_raw like '%/%/% PM'), "
        "count(*) filter (where updated_at_raw like '%/%/% 12:% AM'), "
        "count(*) filter (where birth_date_raw like '_/__/____') "
        "from int_person_records_standardized where source_name = 'crm'"
    )
    assert all(count > 0 for count in texts[0]), texts
    declared = run.query("select distinct source_name, date_order from stg_sources__fields")
    assert sorted(declared, key=str) == sorted(
        [("crm", "month_first"), ("billing", None), ("orders", "day_first")], key=str
    )


def test_a_month_first_source_reads_its_dates_as_the_iso_export_was_read(warehouse, slashed):
    run, _ = slashed
    columns = (
        "source_id, birth_date, birth_date_status, created_at, created_at_status, updated_at, "
        "updated_at_status"
    )
    sql = f"select {columns} from int_person_records_standardized where source_system = 'crm' "
    expected = warehouse.query(sql + "order by all")
    assert len(expected) > 2000
    assert run.query(sql + "order by all") == expected
    assert {row[2] for row in expected} == {"valid", "invalid"}


def test_a_day_first_orders_source_reads_its_order_dates_as_before(warehouse, slashed):
    run, _ = slashed
    sql = "select order_id, order_date, order_date_status from int_orders_standardized order by all"
    assert run.query(sql) == warehouse.query(sql)


def test_the_date_figures_of_the_declared_sources_are_the_iso_exports(warehouse, slashed):
    run, _ = slashed
    sql = (
        "select source_system, source_channel, quality_dimension, defect_type, field, "
        "records_checked, defective_records from mart_defect_rate "
        f"where (quality_dimension, defect_type, field) in {DATE_CHECKS} "
        "or (source_system, quality_dimension, field) = ('orders', 'validity', 'order_date') "
        "order by all"
    )
    figures = [row for row in run.query(sql) if row[0] != "billing"]
    assert len(figures) > 10
    assert figures == [row for row in warehouse.query(sql) if row[0] != "billing"]


def test_a_source_declaring_no_order_keeps_refusing_slashed_dates(warehouse, slashed):
    run, counts = slashed
    statuses = run.query(
        "select birth_date_status, count(*) from int_person_records_standardized "
        "where source_name = 'billing' and birth_date_raw like '%/%/%' group by all"
    )
    assert statuses == [("invalid", counts["billing"])]
    sql = (
        "select defective_records from mart_defect_rate where source_system = 'billing' "
        "and source_channel = 'all' and source_name = 'all' "
        "and (quality_dimension, defect_type, field) = ('validity', 'invalid', 'birth_date')"
    )
    assert run.scalar(sql) == warehouse.scalar(sql) + counts["billing"]
