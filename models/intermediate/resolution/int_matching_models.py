# The matching models trained on this warehouse's own records, one row per training (an
# append-only registry). A build appends a row only when it must train: no model yet, the
# data drifted past the documented rule (crm_quality.matching.profile.needs_retraining), or
# er_retrain. Otherwise it adds nothing and the latest row is reused.
from crm_quality.matching.duckdb_backend import TrainingOptions, train_or_reuse
from crm_quality.settings import setting, settings_row


def model(dbt, session):
    dbt.config(materialized="incremental")
    settings = settings_row(dbt.ref("build_settings").df())
    previous = session.table(str(dbt.this)) if dbt.is_incremental else None
    options = TrainingOptions(
        retrain=setting(settings, "er_retrain"),
        min_fill_rate=setting(settings, "er_min_fill_rate"),
        max_pairs_per_record=setting(settings, "er_max_pairs_per_record"),
        starting_model_path=setting(settings, "er_model_path"),
    )
    return train_or_reuse(
        session,
        dbt.ref("int_person_records_standardized"),
        previous,
        options,
        max_key_group_size=setting(settings, "max_exact_key_group_size"),
    )
