"""Two fresh warehouses built on the same data give the same customers and ids (ids are issued
in a fixed order). Ids lasting across builds of changed data: test_customer_ids.py."""

from __future__ import annotations

import pytest

from python_checks.dbt_runner import run_dbt

pytestmark = pytest.mark.integration

XREF = "select record_key, customer_id from customer_xref"


@pytest.fixture(scope="module")
def raw_dir(warehouse):
    # The shared 3,000-person build (integration/conftest.py) wrote its data beside it.
    return warehouse.warehouse.parent.parent / "raw"


def test_two_builds_on_the_same_data_give_identical_customer_ids(warehouse, raw_dir, tmp_path):
    again = run_dbt(["build"], raw_dir, tmp_path / "again")
    assert again.returncode == 0, again.output[-4000:]
    assert dict(again.query(XREF)) == dict(warehouse.query(XREF))
    assert again.query("select * from dim_customers order by customer_id") == warehouse.query(
        "select * from dim_customers order by customer_id"
    )
