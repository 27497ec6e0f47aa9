-- Uniqueness: every CRM record of a customer except the surviving one is a duplicate.
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

checks as (

    {%- for check in quality_checks_where(quality_dimension='uniqueness') if check.field == 'record' %}

    select
        record_key,
        source_system,
        source_record_id,
        source_channel,
        '{{ check.quality_dimension }}' as quality_dimension,
        '{{ check.defect_type }}' as defect_type,
        '{{ check.field }}' as field,
        survivor_rank > 1 as is_defective,
        customer_id as raw_value,
        '{{ check.rule }}' as rule

    from records
    where source_system = '{{ check.source_system }}'
    {%- endfor %}

)

select * from checks
