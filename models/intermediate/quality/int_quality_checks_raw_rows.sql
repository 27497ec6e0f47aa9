-- Parseability: every raw row read is checked; a row that could not be parsed as a CSV row
-- (it sits in the quarantine, not in staging) is a defect of its whole record. Rows deleted
-- in their source and converted leads linked to their contact are not records here.
with

person_records as (

    select * from {{ ref('int_person_records_unioned') }}

),

orders as (

    select * from {{ ref('stg_billing__orders') }}

),

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}

),

staged_rows as (

    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_channel,
        false as is_defective,
        cast(null as {{ dbt.type_string() }}) as raw_value
    from person_records
    union all
    select
        source_name || ':' || source_record_id as record_key,
        'orders' as source_system,
        source_name,
        source_record_id,
        'billing' as source_channel,
        false as is_defective,
        cast(null as {{ dbt.type_string() }}) as raw_value
    from orders

),

quarantined_rows as (

    select
        source_name || ':line:' || cast(line_number as {{ dbt.type_string() }}) as record_key,
        source_system,
        source_name,
        'line ' || cast(line_number as {{ dbt.type_string() }}) as source_record_id,
        'unknown' as source_channel,
        true as is_defective,
        raw_text as raw_value
    from quarantined

),

rows_read as (

    select * from staged_rows
    union all
    select * from quarantined_rows

),

checks as (

    {%- for check in quality_checks() if check.defect_type == 'unparseable' %}

    select {{ quality_check_columns(check, is_defective='is_defective', raw_value='raw_value') }}
    from rows_read
    where source_system = '{{ check.source_system }}'
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
