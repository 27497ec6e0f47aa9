-- Every raw row of every source reaches staging exactly once: the row counts agree and
-- the rows' passed-through raw values agree as multisets (nothing dropped, nothing doubled).
{%- set tables = [
    ('crm', 'crm_contacts', 'stg_crm__contacts', ['first_name', 'last_name', 'email', 'phone', 'birth_date', 'updated_at']),
    ('billing', 'billing_customers', 'stg_billing__customers', ['first_name', 'last_name', 'email', 'phone', 'birth_date', 'opened_at']),
    ('billing', 'orders', 'stg_billing__orders', ['order_date', 'amount']),
] %}
with

mismatches as (

    {%- for source_name, table_name, staging_model, columns in tables %}

    select
        '{{ table_name }}' as raw_table,
        count(*) as rows_unmatched
    from (
        (
            select {{ columns | join(', ') }} from {{ source(source_name, table_name) }}
            except all
            select {{ columns | join('_raw, ') }}_raw from {{ ref(staging_model) }}
        )
        union all
        (
            select {{ columns | join('_raw, ') }}_raw from {{ ref(staging_model) }}
            except all
            select {{ columns | join(', ') }} from {{ source(source_name, table_name) }}
        )
    ) as unmatched_rows
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from mismatches
where rows_unmatched > 0
