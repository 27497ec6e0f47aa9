# Candidate pairs of person records scored by the matching model this warehouse trained on
# its own records (int_matching_models, latest row): the one place entity resolution decides
# how alike two records are. Clustering and every mart downstream only read these scores.
from crm_quality.matching.duckdb_backend import score_record_pairs
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_row(dbt.ref("build_settings").df())
    return score_record_pairs(
        session,
        dbt.ref("int_person_records_standardized"),
        dbt.ref("int_matching_models"),
        min_match_probability=setting(settings, "er_pair_min_match_probability"),
        max_key_group_size=setting(settings, "max_exact_key_group_size"),
    )
