-- Uniqueness: every CRM record of a customer except the surviving one is a duplicate.
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

checks as (

    {%- for check in quality_checks_where(quality_dimension='uniqueness') if check.field == 'record' %}

    select {{ quality_check_columns(check, is_defective='survivor_rank > 1', raw_value='customer_id') }}

    from records
    where source_system = '{{ check.source_system }}'
    {%- endfor %}

)

select * from checks
