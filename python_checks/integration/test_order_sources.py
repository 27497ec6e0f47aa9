"""Order systems as sources.yml declares them.

Two whose order ids overlap (a web shop beside the main order system, both numbering from the
same range): an id is unique within its source only, so the build passes, every row is loaded,
and a repeated id is a defect only within its own source.

None (`orders: []`, a company without an orders export): the build passes, no customer has
order activity, and every other figure is as it is with the orders."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from python_checks.dbt_runner import DbtRun, run_dbt

pytestmark = pytest.mark.integration

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
# The second system's file: the first orders of the main one, so every id appears in both.
SHOP_ORDERS = 300


def _order_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _repeated_ids(rows: list[dict[str, str]]) -> int:
    """Rows whose non-blank order id an earlier row of the same file already has."""
    ids = [row["order_id"].strip() for row in rows if row["order_id"].strip()]
    return len(ids) - len(set(ids))


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("order_sources") / "raw"
    shutil.copytree(DEMO, raw)
    with (raw / "orders.csv").open(encoding="utf-8") as orders:
        lines = orders.readlines()[: SHOP_ORDERS + 1]
    (raw / "shop_orders.csv").write_text("".join(lines), encoding="utf-8")
    with (raw / "sources.yml").open("a", encoding="utf-8") as sources:
        sources.write("  - {name: shop_orders, file: shop_orders.csv}\n")
    return raw


@pytest.fixture(scope="module")
def warehouse(raw_dir, tmp_path_factory) -> DbtRun:
    run = run_dbt(["build"], raw_dir, tmp_path_factory.mktemp("order_sources_build"))
    assert run.returncode == 0, run.output[-4000:]
    return run


@pytest.fixture(scope="module")
def without_orders(tmp_path_factory) -> DbtRun:
    raw = tmp_path_factory.mktemp("no_orders") / "raw"
    shutil.copytree(DEMO, raw)
    (raw / "orders.csv").unlink()
    declared = (raw / "sources.yml").read_text(encoding="utf-8")
    declared = declared.replace("orders:\n  - {name: orders, file: orders.csv}\n", "orders: []\n")
    assert declared.endswith("orders: []\n")
    (raw / "sources.yml").write_text(declared, encoding="utf-8")
    run = run_dbt(["build"], raw, tmp_path_factory.mktemp("no_orders_build"))
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_without_orders_no_customer_has_order_activity(without_orders):
    assert without_orders.scalar("select count(*) from raw_orders") == 0
    activity = without_orders.query(
        "select customer_activity, sum(order_count), count(last_order_date) from dim_customers "
        "group by all"
    )
    assert activity == [("no_orders", 0, 0)]
    checked = without_orders.query(
        "select distinct source_name, records_checked, defective_records from mart_defect_rate "
        "where source_system = 'orders'"
    )
    assert checked == [("all", 0, 0)]


def _same_rows(first: DbtRun, second: DbtRun, sql: str) -> None:
    rows = first.query(sql)
    assert rows, sql
    assert rows == second.query(sql), sql


def test_without_orders_every_other_figure_is_as_with_them(warehouse, without_orders):
    # The resolution, the shortage and the CRM and billing defects do not read the orders.
    _same_rows(warehouse, without_orders, "select * from customer_xref order by all")
    _same_rows(
        warehouse,
        without_orders,
        "select * from mart_customer_shortage where breakdown <> 'customer_activity' order by all",
    )
    _same_rows(
        warehouse,
        without_orders,
        "select * from mart_defect_rate where source_system in ('crm', 'billing') order by all",
    )
    _same_rows(
        warehouse,
        without_orders,
        "select * exclude (order_count, first_order_date, last_order_date, customer_activity) "
        "from dim_customers order by all",
    )


def test_every_order_of_both_systems_is_loaded(raw_dir, warehouse):
    loaded = dict(
        warehouse.query(
            "select source_name, count(*) from int_orders_enriched group by source_name"
        )
    )
    quarantined = dict(
        warehouse.query(
            "select source_name, count(*) from int_raw_rows_quarantined "
            "where source_system = 'orders' group by source_name"
        )
    )
    for name, file in (("orders", "orders.csv"), ("shop_orders", "shop_orders.csv")):
        rows = len(_order_rows(raw_dir / file))
        assert loaded[name] + quarantined.get(name, 0) == rows, name
    assert loaded["shop_orders"] == SHOP_ORDERS


def test_an_order_id_repeats_only_within_its_own_source(raw_dir, warehouse):
    repeats = dict(
        warehouse.query(
            "select source_name, count(*) from fct_data_quality_issues "
            "where source_system = 'orders' and defect_type = 'duplicate_id' "
            "group by source_name"
        )
    )
    for name, file in (("orders", "orders.csv"), ("shop_orders", "shop_orders.csv")):
        assert repeats.get(name, 0) == _repeated_ids(_order_rows(raw_dir / file)), name
