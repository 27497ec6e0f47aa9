from crm_quality.ingest.role_shim import load_role
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    raw_dir = setting(settings_row(dbt.ref("build_settings").df()), "raw_dir")
    return load_role(session, raw_dir, "crm")
