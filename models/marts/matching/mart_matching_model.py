# The matching model this build used, in one row: when and why it was trained, on how many
# records, which fields it compares, its prior, and whether identification is weak.
import pandas as pd

from crm_quality.matching.diagnostics import summary_row
from crm_quality.matching.duckdb_backend import latest_model_row


def model(dbt, session):
    dbt.config(materialized="table")
    model_id, model_document, trained_at, reason = latest_model_row(dbt.ref("int_matching_models"))
    return pd.DataFrame([summary_row(model_id, model_document, trained_at, reason)])
