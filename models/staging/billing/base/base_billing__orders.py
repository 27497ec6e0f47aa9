from crm_quality.ingest import load_raw_table


def model(dbt, session):
    dbt.config(materialized="table")
    return load_raw_table(session, dbt.config.get("raw_dir"), "orders")
