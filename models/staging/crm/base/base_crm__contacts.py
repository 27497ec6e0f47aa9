from crm_quality.ingest import load_raw_table
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    raw_dir = setting(settings_row(dbt.ref("build_settings").df()), "raw_dir")
    return load_raw_table(session, raw_dir, "crm_contacts")
