-- Raw rows that could not be parsed as rows (unbalanced quotes, too many or too few
-- fields), from every source, with the file, line number and raw text: nothing is dropped.
with

crm_contacts as (

    select * from {{ ref('base_crm__contacts') }}

),

billing_customers as (

    select * from {{ ref('base_billing__customers') }}

),

orders as (

    select * from {{ ref('base_billing__orders') }}

),

{%- set loads = [
    ('crm', 'crm_contacts', 'crm_contacts'),
    ('billing', 'billing_customers', 'billing_customers'),
    ('orders', 'orders', 'orders'),
] %}

unioned as (

    {%- for source_system, table_name, cte in loads %}

    select
        '{{ source_system }}' as source_system,
        '{{ table_name }}.csv' as file_name,
        _row_number as row_number,
        _line_number as line_number,
        _quarantine_reason as quarantine_reason,
        _raw_text as raw_text

    from {{ cte }}
    where _is_quarantined
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from unioned
