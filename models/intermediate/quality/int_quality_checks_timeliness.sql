-- Timeliness: a CRM record whose valid updated_at is older than `stale_after_days`
-- before the as-of date. Records without a valid updated_at are not judged here (they
-- are already validity or completeness defects).
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

checks as (

    {%- for check in quality_checks_where(quality_dimension='timeliness') %}

    select
        {{ quality_check_columns(
            check,
            is_defective='cast(' ~ check.column ~ ' as date) < '
                ~ dbt.dateadd('day', -1 * var('stale_after_days'), as_of_date()),
            raw_value=check.column ~ '_raw',
        ) }}

    from records
    where source_system = '{{ check.source_system }}' and {{ check.column }}_status = 'valid'
    {%- endfor %}

)

select * from checks
