# Every record with its cluster: connected components of the scored pairs at the headline
# match threshold, and at a conservative and a lenient one for the shortage's bounds.
from crm_quality.matching.duckdb_backend import cluster_records_at_thresholds
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_row(dbt.ref("build_settings").df())
    thresholds = {
        "headline": setting(settings, "er_match_threshold"),
        "conservative": setting(settings, "er_conservative_match_threshold"),
        "lenient": setting(settings, "er_lenient_match_threshold"),
    }
    clusters = cluster_records_at_thresholds(
        dbt.ref("int_person_records_standardized"),
        dbt.ref("int_record_pairs_scored"),
        thresholds,
    )
    return clusters.rename(
        columns={
            "headline_cluster_id": "cluster_id",
            "headline_cluster_size": "cluster_size",
            "headline_match_probability": "match_probability",
        }
    )[
        [
            "record_key",
            "cluster_id",
            "cluster_size",
            "match_probability",
            "conservative_cluster_id",
            "lenient_cluster_id",
        ]
    ]
