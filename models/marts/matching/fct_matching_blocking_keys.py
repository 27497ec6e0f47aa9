# Diagnostics of the matching model this build used (crm_quality.matching.diagnostics).
from crm_quality.matching.diagnostics import diagnostics_frame
from crm_quality.matching.duckdb_backend import model_in_use


def model(dbt, session):
    dbt.config(materialized="table")
    return diagnostics_frame("blocking_keys", model_in_use(dbt.ref("int_matching_models")))
