-- One row per defect found on a source record: the worklist for cleaning.
{{ config(
    uncompressed_columns=['issue_id', 'source_record_id', 'customer_id', 'raw_value'],
) }}
with

checks as (

    {{ quality_check_rows(defective_only=true) }}

),

xref as (

    select * from {{ ref('customer_xref') }}

),

catalog as (

    {{ quality_check_rules() }}

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
        catalog.rule

    from checks
    left join xref on checks.record_key = xref.record_key
    left join catalog
        on
            checks.source_system = catalog.source_system
            and checks.quality_dimension = catalog.quality_dimension
            and checks.defect_type = catalog.defect_type
            and checks.field = catalog.field
    where checks.is_defective

)

select * from final
