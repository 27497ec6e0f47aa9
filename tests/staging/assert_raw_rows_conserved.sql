-- Record conservation after the loader, per source: every row the loader read reaches staging
-- or the quarantine exactly once. rows read = rows in staging + rows quarantined, and their row
-- numbers are 1..rows read with none repeated or skipped. It takes the loader's count of rows
-- read as given; python_checks/integration/test_raw_rows_conserved.py counts each file's
-- records with another reader, so that a row lost inside the loader fails there.
{%- set loads = [
    ('crm_contacts', 'base_crm__contacts', 'stg_crm__contacts'),
    ('billing_customers', 'base_billing__customers', 'stg_billing__customers'),
    ('orders', 'base_billing__orders', 'stg_billing__orders'),
] %}
with

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}

),

{%- for table_name, base_model, staging_model in loads %}

{{ table_name }}_rows as (

    select
        '{{ table_name }}' as raw_table,
        source_row_number as row_number
    from {{ ref(staging_model) }}
    union all
    select
        '{{ table_name }}' as raw_table,
        row_number
    from quarantined
    where file_name = '{{ table_name }}.csv'

),

{{ table_name }}_counts as (

    select
        '{{ table_name }}' as raw_table,
        (select count(*) from {{ ref(base_model) }}) as rows_read,
        (select count(*) from {{ ref(staging_model) }}) as rows_staged,
        (
            select count(*) from quarantined
            where file_name = '{{ table_name }}.csv'
        ) as rows_quarantined,
        (select count(distinct row_number) from {{ table_name }}_rows) as distinct_row_numbers,
        (select coalesce(max(row_number), 0) from {{ table_name }}_rows) as max_row_number

),
{%- endfor %}

counts as (

    {%- for table_name, base_model, staging_model in loads %}
    select * from {{ table_name }}_counts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from counts
where
    rows_read != rows_staged + rows_quarantined
    or distinct_row_numbers != rows_read
    or max_row_number != rows_read
