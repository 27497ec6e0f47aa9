"""Unusable raw input stops the build with an error naming the file, column and CRM_RAW_DIR."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from python_checks.dbt_runner import generate_demo, run_dbt

pytestmark = pytest.mark.integration

RAW_FILES = ("crm_contacts.csv", "billing_customers.csv", "orders.csv")


@pytest.fixture(scope="module")
def contract_files(tmp_path_factory) -> Path:
    """The three contract files, as a user without sources.yml has them."""
    raw = tmp_path_factory.mktemp("contract") / "raw"
    generate_demo(raw, people=300, seed=5)
    return raw


@pytest.fixture
def copy_demo(contract_files):
    def copy(target: Path) -> Path:
        target.mkdir()
        for name in RAW_FILES:
            shutil.copy(contract_files / name, target / name)
        return target

    return copy


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [name for name in rows[0] if name != column]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_missing_file_names_file_and_dir(tmp_path, copy_demo):
    raw = copy_demo(tmp_path / "raw")
    (raw / "orders.csv").unlink()
    run = run_dbt(["build"], raw, tmp_path / "build")
    assert run.returncode != 0
    assert (
        "source 'orders' (orders.csv): file not found; with no orders export, declare "
        "`orders: []` in sources.yml" in run.output
    )
    assert f"CRM_RAW_DIR='{raw}'" in run.output


def test_missing_column_names_column(tmp_path, copy_demo):
    raw = copy_demo(tmp_path / "raw")
    drop_column(raw / "crm_contacts.csv", "email")
    run = run_dbt(["build"], raw, tmp_path / "build")
    assert run.returncode != 0
    assert "source 'crm' (crm_contacts.csv): column 'email' not found" in run.output


def test_header_only_files_build_with_zero_counts_and_null_rates(tmp_path, contract_files):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in RAW_FILES:
        header = (contract_files / name).read_text(encoding="utf-8").splitlines()[0]
        (raw / name).write_text(header + "\n", encoding="utf-8")
    run = run_dbt(["build"], raw, tmp_path / "build")
    assert run.returncode == 0, run.output[-4000:]
    assert run.query(
        "select actual_customers, missing_customers, shortage_rate_pct, naive_shortage_rate_pct "
        "from mart_customer_shortage where breakdown = 'overall'"
    ) == [(0, 0, None, None)]
    rates = run.query(
        "select count(*), sum(records_checked), count(defect_rate_pct) from mart_defect_rate"
    )
    assert rates[0][0] > 0 and rates[0][1] == 0 and rates[0][2] == 0


def test_extra_column_is_ignored(tmp_path, copy_demo):
    raw = copy_demo(tmp_path / "raw")
    path = raw / "billing_customers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0] + ",loyalty_tier"] + [line + ",gold" for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    run = run_dbt(["run", "--select", "+stg_billing__customers"], raw, tmp_path / "build")
    assert run.returncode == 0, run.output[-4000:]
    assert run.scalar("select count(*) from stg_billing__customers") == len(lines) - 1
