-- Completeness and validity: one row per record × catalog check, read from the status the
-- standardizers gave each field. Validity is judged only where a value is present, so a
-- missing value counts once (as missing), never also as invalid.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

checks as (

    {#- Record ids and the last touch (no column of its own) are judged in their own models. #}
    {%- set field_checks = [] %}
    {%- for check in quality_checks() if check.source_system in ('crm', 'billing')
        and check.defect_type in ('missing', 'invalid') and check.column not in ('source_id', 'last_touched_at') %}
    {%- do field_checks.append(check) %}
    {%- endfor %}
    {%- for check in field_checks %}

    select
        {{ quality_check_columns(
            check,
            is_defective=check.column ~ "_status = '" ~ check.defect_type ~ "'",
            raw_value=check.column ~ '_raw',
        ) }}

    from records
    where
        source_system = '{{ check.source_system }}'
        {%- if check.quality_dimension == 'validity' %}
        and {{ check.column }}_status != 'missing'
        {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
