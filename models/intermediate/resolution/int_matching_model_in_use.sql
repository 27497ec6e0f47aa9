-- The model this build scores with: the registry's latest (as int_record_pairs_scored reads
-- it, macros/matching/matching_latest_model.sql). No row when nothing was trained.
with

models as (

    select * from {{ ref('int_matching_models') }}

),

final as (

    select *
    from models
    order by trained_at desc, model_id desc
    limit 1

)

select * from final
