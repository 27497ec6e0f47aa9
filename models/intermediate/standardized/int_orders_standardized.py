from crm_quality.warehouse import lookups_from_frames, parse_as_of, standardize_orders


def model(dbt, session):
    dbt.config(materialized="table")
    lookups = lookups_from_frames(placeholder_values=dbt.ref("placeholder_values").df())
    orders = dbt.ref("stg_billing__orders").df()
    return standardize_orders(orders, lookups, parse_as_of(dbt.config.get("as_of_date")))
