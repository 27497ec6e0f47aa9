# Candidate pairs of person records scored by the matching model this warehouse trained on
# its own records (int_matching_models, latest row): the one place entity resolution decides
# how alike two records are. Clustering and every mart downstream only read these scores.
from crm_quality.matching.duckdb_backend import config_value, score_record_pairs


def model(dbt, session):
    dbt.config(materialized="table")
    return score_record_pairs(
        session,
        dbt.ref("int_person_records_standardized"),
        dbt.ref("int_matching_models"),
        min_match_probability=config_value(
            dbt.config.get("er_pair_min_match_probability"), float, 0.01
        ),
        max_key_group_size=config_value(dbt.config.get("max_exact_key_group_size"), int, 20),
    )
