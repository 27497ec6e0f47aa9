-- Accuracy: a valid CRM value checked against the valid billing values of the same
-- resolved customer. Checked only where both sides have a valid value; inaccurate when the
-- CRM value matches none of them (a person may hold several billing accounts). A phone
-- without a country of its own counts as valid once judged for its customer's country.
with

records as (

    select * from {{ ref('int_person_records_judged') }}

),

crm_records as (

    select * from records
    where source_system = 'crm'

),

billing_records as (

    select * from records
    where source_system = 'billing'

),

checks as (

    {%- for check in quality_checks_where(quality_dimension='accuracy') %}
    {%- set column = 'judged_phone' if check.column == 'phone' else check.column %}

    select
        {{ quality_check_columns(
            check,
            is_defective='max(case when billing_records.' ~ column ~ ' = crm_records.' ~ column
                ~ ' then 1 else 0 end) = 0',
            raw_value='crm_records.' ~ check.column ~ '_raw',
            relation='crm_records',
        ) }}

    from crm_records
    inner join billing_records
        on
            crm_records.customer_id = billing_records.customer_id
            and billing_records.{{ column }} is not null
    where crm_records.{{ column }} is not null
    group by
        crm_records.record_key,
        crm_records.source_system,
        crm_records.source_name,
        crm_records.source_record_id,
        crm_records.source_channel,
        crm_records.{{ check.column }}_raw
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
