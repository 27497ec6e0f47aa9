-- Diagnostics of the matching model this build used, as the training step wrote them
-- (crm_quality.matching.diagnostics, keyed by model_id).
with

diagnostics as (

    select * from {{ source('matching', 'matching_model_fields') }}

),

in_use as (

    select model_id from {{ ref('int_matching_model_in_use') }}

),

final as (

    select
        diagnostics.model_id,
        diagnostics.field_name,
        diagnostics.fill_rate,
        diagnostics.min_fill_rate,
        diagnostics.is_compared
    from diagnostics
    inner join in_use on diagnostics.model_id = in_use.model_id

)

select * from final
