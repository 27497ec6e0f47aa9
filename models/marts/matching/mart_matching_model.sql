-- The matching model this build used, in one row: when and why it was trained, on how many
-- records, which fields it compares, its prior, and whether identification is weak. With no
-- model (fewer than two records to train on) the row says so, and identification is weak.
with

models as (

    select * from {{ ref('int_matching_models') }}

),

in_use as (

    select *
    from models
    order by trained_at desc, model_id desc
    limit 1

),

build as (

    select 1 as one

),

final as (

    select
        in_use.model_id,
        in_use.trained_at,
        coalesce(in_use.training_reason, 'no records to train on') as training_reason,
        coalesce(in_use.training_record_count, 0) as training_record_count,
        coalesce(in_use.compared_fields, '') as compared_fields,
        in_use.probability_two_random_records_match,
        coalesce(in_use.is_identification_weak, true) as is_identification_weak
    from build
    left join in_use on true

)

select * from final
