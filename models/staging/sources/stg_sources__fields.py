from crm_quality.ingest import sources_frame
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    return sources_frame(setting(settings_row(dbt.ref("build_settings").df()), "raw_dir"))
