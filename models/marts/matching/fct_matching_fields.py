# Diagnostics of the matching model this build used (crm_quality.matching.diagnostics).
from crm_quality.matching.diagnostics import fields_frame
from crm_quality.matching.duckdb_backend import latest_model_row


def model(dbt, session):
    dbt.config(materialized="table")
    model_id, model_document, _, _ = latest_model_row(dbt.ref("int_matching_models"))
    return fields_frame(model_id, model_document)
