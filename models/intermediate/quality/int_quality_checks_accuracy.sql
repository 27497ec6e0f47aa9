-- Accuracy: each CRM record beside the valid billing values of its resolved customer, for the
-- catalog checks reading crm_billing_comparisons. Per compared field, billing_<field>_values
-- counts those values and billing_<field>_matches the ones equal to the record's (a person may
-- hold several billing accounts). A phone without a country of its own counts as valid once
-- judged for its customer's country (judged_phone).
with

records as {{ inlined_cte() }} (

    select * from {{ ref('int_person_records_judged') }}

),

crm_records as {{ inlined_cte() }} (

    select * from records
    where source_system = 'crm'

),

billing_records as (

    select * from records
    where source_system = 'billing'

),

comparisons as (

    select
        {%- for check in quality_checks_where(quality_dimension='accuracy') %}
        count(billing_records.{{ check.column }}) as billing_{{ check.field }}_values,
        sum(case when billing_records.{{ check.column }} = crm_records.{{ check.column }} then 1 else 0 end)
            as billing_{{ check.field }}_matches,
        {%- endfor %}
        crm_records.record_key

    from crm_records
    inner join billing_records on crm_records.customer_id = billing_records.customer_id
    group by crm_records.record_key

),

crm_billing_comparisons as (

    select
        {%- for check in quality_checks_where(quality_dimension='accuracy') %}
        coalesce(comparisons.billing_{{ check.field }}_values, 0) as billing_{{ check.field }}_values,
        coalesce(comparisons.billing_{{ check.field }}_matches, 0) as billing_{{ check.field }}_matches,
        {%- endfor %}
        crm_records.*

    from crm_records
    left join comparisons on crm_records.record_key = comparisons.record_key

),

checks as (

    {{ render_quality_checks('crm_billing_comparisons') }}

)

select * from checks
