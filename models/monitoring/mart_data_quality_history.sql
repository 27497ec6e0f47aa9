-- The quality figures of every build, appended: one row per build × metric × breakdown with
-- its numerator, denominator and value (a percentage). Rebuilding appends; only --full-refresh
-- starts the history over.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ monitoring_column_to_double(this, 'value') }}",
) }}

with

defect_rates as (

    select * from {{ ref('mart_defect_rate') }}

),

shortage_rates as (

    select * from {{ ref('mart_customer_shortage') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

{%- set contact_fields = ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city',
                          'postal_code', 'country', 'birth_date'] %}

customer_nulls as (

    -- Golden-record fields the resolution could not fill from any source.
    {%- for field in contact_fields %}
    select
        '{{ field }}' as field,
        coalesce(sum(case when {{ field }} is null then 1 else 0 end), 0) as null_records,
        count(*) as customer_records
    from customers
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

metrics as (

    select
        'defect_rate_pct' as metric,
        {{ defect_rate_breakdown_columns() }},
        defective_records as numerator,
        records_checked as denominator,
        defect_rate_pct as metric_value
    from defect_rates
    union all
    select
        'shortage_rate_pct' as metric,
        breakdown,
        breakdown_value,
        missing_customers as numerator,
        actual_customers as denominator,
        shortage_rate_pct as metric_value
    from shortage_rates
    union all
    select
        'null_rate_pct' as metric,
        'dim_customers.field' as breakdown,
        field as breakdown_value,
        null_records as numerator,
        customer_records as denominator,
        {{ rate_pct('null_records', 'customer_records') }} as metric_value
    from customer_nulls

),

final as (

    select
        cast('{{ invocation_id }}' as varchar) as run_id,
        {{ monitoring_run_started_at() }} as run_started_at,
        {{ as_of_date() }} as as_of_date,
        cast(metric as varchar) as metric,
        cast(breakdown as varchar) as breakdown,
        cast(breakdown_value as varchar) as breakdown_value,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        {{ round_double('cast(metric_value as ' ~ type_double() ~ ')', 4) }} as value  -- noqa: RF04

    from metrics
    {%- if is_incremental() %}
    -- A retried invocation does not record its build twice.
    where '{{ invocation_id }}' not in (select history.run_id from {{ this }} as history)
    {%- endif %}

)

select * from final
