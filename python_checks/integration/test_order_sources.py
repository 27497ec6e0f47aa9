"""Order systems as sources.yml declares them.

A web shop beside the main order system, each numbering from the same range, and each selling
to the accounts of its own billing system (`billing_source`), whose account ids overlap: an
order id is unique within its source only, so the build passes, every row is loaded, and a
repeated id is a defect only within its own source; an order's account is looked up in the
billing source its orders source names.

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
# The shop's orders: the first orders of the main system, so every order id appears in both.
SHOP_ORDERS = 300
# The shop's billing system holds the accounts of its first orders under the same ids, but for
# other people (those of the main billing system's accounts from this row on); its last orders'
# accounts are the main system's only.
SHOP_ACCOUNTS_FROM_ORDERS = 250
SHOP_PEOPLE_FROM_ROW = 1000
BILLING_OF = {"orders": "billing", "shop_orders": "shop_billing"}
SOURCES_YML = """\
billing:
  - {name: billing, file: billing_customers.csv}
  - {name: shop_billing, file: shop_billing.csv}
orders:
  - {name: orders, file: orders.csv, billing_source: billing}
  - {name: shop_orders, file: shop_orders.csv, billing_source: shop_billing}
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _repeated_ids(rows: list[dict[str, str]]) -> int:
    """Rows whose non-blank order id an earlier row of the same file already has."""
    ids = [row["order_id"].strip() for row in rows if row["order_id"].strip()]
    return len(ids) - len(set(ids))


def _shop_account_ids(raw: Path) -> set[str]:
    return {row["account_id"] for row in _rows(raw / "shop_orders.csv")[:SHOP_ACCOUNTS_FROM_ORDERS]}


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("order_sources") / "raw"
    shutil.copytree(DEMO, raw)
    _write_rows(raw / "shop_orders.csv", _rows(raw / "orders.csv")[:SHOP_ORDERS])
    accounts = sorted(_shop_account_ids(raw))
    people = _rows(raw / "billing_customers.csv")[SHOP_PEOPLE_FROM_ROW:][: len(accounts)]
    shop_billing = [
        {**person, "account_id": account} for account, person in zip(accounts, people, strict=True)
    ]
    _write_rows(raw / "shop_billing.csv", shop_billing)
    declared = (raw / "sources.yml").read_text(encoding="utf-8")
    crm = declared[: declared.index("billing:")]
    (raw / "sources.yml").write_text(crm + SOURCES_YML, encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def warehouse(raw_dir, tmp_path_factory) -> DbtRun:
    run = run_dbt(["build"], raw_dir, tmp_path_factory.mktemp("order_sources_build"))
    assert run.returncode == 0, run.output[-4000:]
    return run


@pytest.fixture(scope="module")
def without_orders(raw_dir, tmp_path_factory) -> DbtRun:
    raw = tmp_path_factory.mktemp("no_orders") / "raw"
    shutil.copytree(raw_dir, raw)
    (raw / "orders.csv").unlink()
    (raw / "shop_orders.csv").unlink()
    declared = (raw / "sources.yml").read_text(encoding="utf-8")
    (raw / "sources.yml").write_text(declared[: declared.index("orders:")] + "orders: []\n")
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
        rows = len(_rows(raw_dir / file))
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
        assert repeats.get(name, 0) == _repeated_ids(_rows(raw_dir / file)), name


def test_an_order_counts_for_the_customer_of_its_account_in_the_billing_source_it_names(
    warehouse,
):
    billing_of = ", ".join(f"('{orders}', '{billing}')" for orders, billing in BILLING_OF.items())
    expected = warehouse.query(
        f"""
        with accounts as (
            select source_name, source_id, min(customer_id) as customer_id from customer_xref
            where source_system = 'billing' and source_id is not null
            group by source_name, source_id
        ),
        billing_of (orders_source, billing_source) as (values {billing_of})
        select accounts.customer_id, count(*) from int_orders_enriched as orders
        inner join billing_of on orders.source_name = billing_of.orders_source
        inner join accounts
            on accounts.source_name = billing_of.billing_source
            and accounts.source_id = orders.account_id
        where orders.order_date_status = 'valid'
        group by accounts.customer_id
        order by accounts.customer_id
        """
    )
    counted = warehouse.query(
        "select customer_id, order_count from dim_customers where order_count > 0 order by all"
    )
    assert counted == expected
    declared = warehouse.query(
        "select distinct source_name, billing_source from stg_sources__fields "
        "where source_system = 'orders' order by all"
    )
    assert declared == sorted(BILLING_OF.items())
    # The case is there: the two systems' accounts of one id are other people's.
    apart = warehouse.scalar(
        """
        select count(*) from customer_xref as main
        inner join customer_xref as shop
            on main.source_id = shop.source_id and main.customer_id <> shop.customer_id
        where main.source_name = 'billing' and shop.source_name = 'shop_billing'
        """
    )
    assert apart >= 40


def test_an_account_id_is_valid_only_in_the_billing_source_its_orders_name(raw_dir, warehouse):
    invalid = dict(
        warehouse.query(
            "select source_name, count(*) from fct_data_quality_issues "
            "where source_system = 'orders' and defect_type = 'invalid' and field = 'account_id' "
            "group by source_name"
        )
    )
    for orders, billing in BILLING_OF.items():
        file = "billing_customers.csv" if billing == "billing" else f"{billing}.csv"
        accounts = {row["account_id"].strip() for row in _rows(raw_dir / file)}
        unknown = [
            row
            for row in _rows(raw_dir / f"{orders}.csv")
            if row["account_id"].strip() and row["account_id"].strip() not in accounts
        ]
        assert invalid.get(orders, 0) == len(unknown), orders
    assert invalid["shop_orders"] >= SHOP_ORDERS - SHOP_ACCOUNTS_FROM_ORDERS - 5
