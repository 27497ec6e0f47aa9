# The matching model this build used, in one row: when and why it was trained, on how many
# records, which fields it compares, its prior, and whether identification is weak.
import pandas as pd

from crm_quality.matching.diagnostics import summary_row
from crm_quality.matching.duckdb_backend import model_in_use


def model(dbt, session):
    dbt.config(materialized="table")
    return pd.DataFrame([summary_row(model_in_use(dbt.ref("int_matching_models")))])
