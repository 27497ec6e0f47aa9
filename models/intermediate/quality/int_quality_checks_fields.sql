-- Completeness and validity: one row per record × catalog check, read from the status the
-- standardizers gave each field. Validity is judged only where a value is present, so a
-- missing value counts once (as missing), never also as invalid. A phone takes its
-- re-judged status (int_phones_rejudged) where it had no country of its own; one still
-- 'unverifiable' is left out of the phone validity check.
with

standardized as (

    select * from {{ ref('int_person_records_standardized') }}

),

rejudged_phones as (

    select * from {{ ref('int_phones_rejudged') }}

),

records as (

    select
        standardized.*,
        coalesce(rejudged_phones.phone_status, standardized.phone_status) as judged_phone_status

    from standardized
    left join rejudged_phones on standardized.record_key = rejudged_phones.record_key

),

checks as (

    {#- Record ids and the last touch (no column of its own) are judged in their own models. #}
    {%- set field_checks = [] %}
    {%- for check in quality_checks() if check.source_system in ('crm', 'billing')
        and check.defect_type in ('missing', 'invalid') and check.column not in ('source_id', 'last_touched_at') %}
    {%- do field_checks.append(check) %}
    {%- endfor %}
    {%- for check in field_checks %}
    {%- set status = 'judged_phone_status' if check.column == 'phone' else check.column ~ '_status' %}

    select
        {{ quality_check_columns(
            check,
            is_defective=status ~ " = '" ~ check.defect_type ~ "'",
            raw_value=check.column ~ '_raw',
        ) }}

    from records
    where
        source_system = '{{ check.source_system }}'
        and {{ field_is_collected(check) }}
        {%- if check.quality_dimension == 'validity' %}
        and {{ status }} not in ('missing', 'unverifiable')
        {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
