-- Parseability: every raw row read, for the catalog checks reading rows_read. A row that could
-- not be parsed as a CSV row sits in the quarantine, not in staging (is_quarantined, with its
-- raw text). Rows deleted in their source, converted leads linked to their contact and the
-- quarantined footer lines of a report export are not records here.
with

person_records as (

    select * from {{ ref('int_person_records_unioned') }}

),

orders as (

    select * from {{ ref('stg_billing__orders') }}

),

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}
    where is_record

),

staged_rows as (

    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_channel,
        false as is_quarantined,
        cast(null as {{ dbt.type_string() }}) as raw_text
    from person_records
    union all
    select
        source_name || ':' || source_record_id as record_key,
        'orders' as source_system,
        source_name,
        source_record_id,
        'billing' as source_channel,
        false as is_quarantined,
        cast(null as {{ dbt.type_string() }}) as raw_text
    from orders

),

quarantined_rows as (

    select
        source_name || ':line:' || cast(line_number as {{ dbt.type_string() }}) as record_key,
        source_system,
        source_name,
        'line ' || cast(line_number as {{ dbt.type_string() }}) as source_record_id,
        'unknown' as source_channel,
        true as is_quarantined,
        raw_text
    from quarantined

),

rows_read as (

    select * from staged_rows
    union all
    select * from quarantined_rows

),

checks as (

    {{ render_quality_checks('rows_read') }}

)

select * from checks
