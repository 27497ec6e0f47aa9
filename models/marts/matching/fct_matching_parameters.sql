-- Diagnostics of the matching model this build used, as the training step wrote them
-- (crm_quality.matching.diagnostics, keyed by model_id).
with

diagnostics as (

    select * from {{ source('matching', 'matching_model_parameters') }}

),

in_use as (

    select model_id from {{ ref('int_matching_model_in_use') }}

),

final as (

    select
        diagnostics.model_id,
        diagnostics.comparison,
        diagnostics.level_label,
        diagnostics.level_order,
        diagnostics.m_probability,
        diagnostics.u_probability,
        diagnostics.match_weight,
        diagnostics.is_observed,
        diagnostics.is_estimated,
        diagnostics.is_at_bound
    from diagnostics
    inner join in_use on diagnostics.model_id = in_use.model_id

)

select * from final
