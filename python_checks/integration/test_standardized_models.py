"""The SQL standardization models give, row for row and column for column, what the Python
reference (crm_quality.warehouse.standardize_person_records / standardize_orders) gives on
the same build's input rows, seeds, settings and sources' date orders. Reads the shared
generated build.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from crm_quality.connect import connect
from crm_quality.settings import settings_row
from crm_quality.warehouse import (
    lookups_from_frames,
    standardize_orders,
    standardize_person_records,
)
from python_checks.dbt_runner import DbtRun

pytestmark = pytest.mark.integration

SEEDS = ("placeholder_values", "country_aliases", "nicknames", "disposable_email_domains")


def _reference_and_model(
    warehouse: DbtRun, source: str, model: str, standardize
) -> tuple[pd.DataFrame, duckdb.DuckDBPyConnection]:
    with connect(warehouse.warehouse, restricted=True) as connection:
        settings = settings_row(connection.sql("select * from build_settings").df())
        lookups = lookups_from_frames(
            **{seed: connection.sql(f"select * from {seed}").df() for seed in SEEDS}
        )
        date_orders = dict(
            connection.sql(
                "select distinct source_name, date_order from stg_sources__fields"
            ).fetchall()
        )
        inputs = connection.sql(f"select * from {source}").df()
        computed = connection.sql(f"select * from {model}").arrow().read_all()
    reference = standardize(inputs, lookups, settings, date_orders)
    scratch = duckdb.connect()
    scratch.register("model_rows", computed)
    scratch.register("reference_rows", reference)
    return reference, scratch


def _mismatches(scratch: duckdb.DuckDBPyConnection, key: str) -> dict[str, int]:
    """Per column, the rows whose model value differs from the reference's, and the rows
    only one of them has (unpaired_rows); empty when the two tables are equal."""
    model_columns = [row[0] for row in scratch.sql("describe model_rows").fetchall()]
    reference_columns = [row[0] for row in scratch.sql("describe reference_rows").fetchall()]
    assert model_columns == reference_columns
    counts = ", ".join(
        f'count(*) filter (where model."{name}" is distinct from reference."{name}") as "{name}"'
        for name in model_columns
    )
    row = scratch.sql(
        f"select count(*) filter (where model.{key} is null or reference.{key} is null)"
        f" as unpaired_rows, {counts} from model_rows as model"
        f" full join reference_rows as reference on model.{key} = reference.{key}"
    )
    counted = zip(row.columns, row.fetchall()[0], strict=True)
    return {column: count for column, count in counted if count}


def test_person_records_match_the_python_reference(warehouse):
    reference, scratch = _reference_and_model(
        warehouse, "int_person_records_unioned", "int_person_records_standardized",
        standardize_person_records,
    )  # fmt: skip
    assert len(reference) > 1000
    assert _mismatches(scratch, "record_key") == {}


def test_orders_match_the_python_reference(warehouse):
    reference, scratch = _reference_and_model(
        warehouse, "stg_billing__orders", "int_orders_standardized", standardize_orders
    )
    assert len(reference) > 1000
    assert _mismatches(scratch, "source_record_id") == {}
