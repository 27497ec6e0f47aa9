from crm_quality.matching import cluster_records


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_person_records_standardized").project("record_key").df()
    links = dbt.ref("int_record_pairs_matched").project("record_key_l, record_key_r").df()
    return cluster_records(
        records["record_key"], zip(links["record_key_l"], links["record_key_r"], strict=True)
    )
