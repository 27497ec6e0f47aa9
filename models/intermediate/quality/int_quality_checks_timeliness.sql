-- Timeliness of every CRM record, judged on its last known touch: the valid updated_at, else
-- the valid created_at (many CRMs leave updated_at empty until the first edit). A record is
-- stale when that touch is older than `stale_after_days` before the as-of date, or when it has
-- no valid touch at all (its freshness is unknown). A record whose updated_at and created_at
-- are both empty or placeholders is also a completeness defect of last_touched_at.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

touches as (

    -- A standardized timestamp is null unless valid.
    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_channel,
        coalesce(updated_at, created_at) as last_touched_at,
        case
            when updated_at is not null then updated_at_raw
            when created_at is not null then created_at_raw
            else coalesce(nullif(trim(updated_at_raw), ''), created_at_raw)
        end as last_touched_at_raw,
        updated_at_status = 'missing' and created_at_status = 'missing' as is_touch_missing

    from records

),

checks as (

    {%- set touch_checks = [] %}
    {%- for check in quality_checks() if check.field == 'last_touched_at' %}
    {%- do touch_checks.append(check) %}
    {%- endfor %}
    {%- for check in touch_checks %}

    select
        {{ quality_check_columns(
            check,
            is_defective='is_touch_missing' if check.defect_type == 'missing'
                else 'coalesce(cast(last_touched_at as date) < '
                ~ dbt.dateadd('day', -1 * var('stale_after_days'), as_of_date()) ~ ', true)',
            raw_value='last_touched_at_raw',
        ) }}

    from touches
    where
        source_system = '{{ check.source_system }}'
        and {{ field_is_collected(check) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
