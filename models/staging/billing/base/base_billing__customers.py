from crm_quality.ingest import load_role
from crm_quality.ingest.dbt_declarations import check_dbt_declarations
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_row(dbt.ref("build_settings").df())
    # Stale declarations would show dbt's docs the wrong sources.
    check_dbt_declarations(setting(settings, "raw_dir"), setting(settings, "declared_dir"))
    return load_role(session, setting(settings, "raw_dir"), "billing")
