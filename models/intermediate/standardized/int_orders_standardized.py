from crm_quality.settings import settings_row
from crm_quality.warehouse import lookups_from_frames, standardize_orders


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_row(dbt.ref("build_settings").df())
    lookups = lookups_from_frames(placeholder_values=dbt.ref("placeholder_values").df())
    orders = dbt.ref("stg_billing__orders").df()
    return standardize_orders(orders, lookups, settings)
