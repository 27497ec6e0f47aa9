-- The matching model this build used, in one row: when and why it was trained, on how many
-- records, which fields it compares, its prior, and whether identification is weak. With no
-- model (fewer than two records to train on) the row says so, and identification is weak.
with

in_use as (

    select * from {{ ref('int_matching_model_in_use') }}

),

final as (

    select
        model_id,
        trained_at,
        training_reason,
        training_record_count,
        compared_fields,
        probability_two_random_records_match,
        is_identification_weak
    from in_use

    union all

    select
        null as model_id,
        null as trained_at,
        'no records to train on' as training_reason,
        0 as training_record_count,
        '' as compared_fields,
        null as probability_two_random_records_match,
        true as is_identification_weak
    where not exists (select 1 from in_use)

)

select * from final
