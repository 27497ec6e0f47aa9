-- Parseability: every raw row read is checked; a row that could not be parsed as a CSV row
-- (it sits in the quarantine, not in staging) is a defect of its whole record.
{%- set staged = [
    ('crm', 'stg_crm__contacts', 'source_channel'),
    ('billing', 'stg_billing__customers', "'billing'"),
    ('orders', 'stg_billing__orders', "'billing'"),
] %}
with

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}

),

{%- for source_system, staging_model, channel in staged %}

{{ source_system }}_staged as (

    select
        '{{ source_system }}:' || source_record_id as record_key,
        '{{ source_system }}' as source_system,
        source_record_id,
        {{ channel }} as source_channel,
        false as is_defective,
        cast(null as {{ dbt.type_string() }}) as raw_value

    from {{ ref(staging_model) }}

),
{%- endfor %}

quarantined_rows as (

    select
        source_system || ':line:' || cast(line_number as {{ dbt.type_string() }}) as record_key,
        source_system,
        'line ' || cast(line_number as {{ dbt.type_string() }}) as source_record_id,
        'unknown' as source_channel,
        true as is_defective,
        raw_text as raw_value

    from quarantined

),

rows_read as (

    {%- for source_system, staging_model, channel in staged %}
    select * from {{ source_system }}_staged
    union all
    {%- endfor %}
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
