# The matching models trained on this warehouse's own records, one row per training (an
# append-only registry). A build appends a row only when it must train: no model yet, the
# data drifted past the documented rule (crm_quality.matching.profile.needs_retraining), or
# er_retrain. Otherwise it adds nothing and the latest row is reused.
from crm_quality.matching.duckdb_backend import TrainingOptions, config_value, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="incremental")
    previous = session.table(str(dbt.this)) if dbt.is_incremental else None
    options = TrainingOptions(
        retrain=config_value(dbt.config.get("er_retrain"), bool, False),
        min_fill_rate=config_value(dbt.config.get("er_min_fill_rate"), float, 0.05),
        max_pairs_per_record=config_value(dbt.config.get("er_max_pairs_per_record"), float, 5),
        starting_model_path=config_value(dbt.config.get("er_model_path"), str),
    )
    return train_or_reuse(
        session,
        dbt.ref("int_person_records_standardized"),
        previous,
        options,
        max_key_group_size=config_value(dbt.config.get("max_exact_key_group_size"), int, 20),
    )
