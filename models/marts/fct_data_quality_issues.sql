-- One row per defect found on a source record: the worklist for cleaning.
with

checks as (

    select * from {{ ref('int_quality_checks') }}

),

xref as (

    select * from {{ ref('customer_xref') }}

),

final as (

    select
        {{ hash_key(['checks.record_key', 'checks.quality_dimension', 'checks.defect_type', 'checks.field']) }}
            as issue_id,
        checks.source_system,
        checks.source_name,
        checks.source_record_id,
        checks.source_channel,
        xref.customer_id,
        checks.quality_dimension,
        checks.defect_type,
        checks.field,
        {{ neutralize_formula("checks.raw_value") }} as raw_value,
        checks.rule

    from checks
    left join xref on checks.record_key = xref.record_key
    where checks.is_defective

)

select * from final
