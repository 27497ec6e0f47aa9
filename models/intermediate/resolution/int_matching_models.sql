-- The matching models trained on this warehouse's own records, one row per training (an
-- append-only registry). The build's training step appends a row only when it must train: no
-- model yet, the data drifted past the documented rule (crm_quality.matching.profile
-- .needs_retraining), or er_retrain. Otherwise it adds nothing and the latest row is reused.
with

registry as (

    select * from {{ source('matching', 'matching_model_registry') }}

),

final as (

    select
        model_id,
        trained_at,
        training_record_count,
        training_reason,
        model_json,
        compared_fields,
        probability_two_random_records_match,
        is_identification_weak
    from registry

)

select * from final
