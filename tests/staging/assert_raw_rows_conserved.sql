-- Record conservation after the loader, per declared source: every row the loader read reaches
-- staging or the quarantine exactly once (rows deleted in their source stay in staging,
-- flagged). rows read = rows in staging + rows quarantined, and their row numbers are
-- 1..rows read with none repeated or skipped. It takes the loader's count of rows read as
-- given; python_checks/integration/test_raw_rows_conserved.py counts each file's records with
-- another reader, so that a row lost inside the loader fails there.
{%- set loads = [
    ('crm', 'base_crm__contacts', 'stg_crm__contacts'),
    ('billing', 'base_billing__customers', 'stg_billing__customers'),
    ('orders', 'base_billing__orders', 'stg_billing__orders'),
] %}
with

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}

),

row_numbers as (

    {%- for source_system, base_model, staging_model in loads %}
    select
        '{{ source_system }}' as source_system,
        source_name,
        'read' as load_stage,
        _row_number as row_number
    from {{ ref(base_model) }}
    union all
    select
        '{{ source_system }}' as source_system,
        source_name,
        'staged' as load_stage,
        source_row_number as row_number
    from {{ ref(staging_model) }}
    union all
    {%- endfor %}
    select
        source_system,
        source_name,
        'quarantined' as load_stage,
        row_number
    from quarantined

),

counts as (

    select
        source_system,
        source_name,
        sum(case when load_stage = 'read' then 1 else 0 end) as rows_read,
        sum(case when load_stage = 'staged' then 1 else 0 end) as rows_staged,
        sum(case when load_stage = 'quarantined' then 1 else 0 end) as rows_quarantined,
        count(distinct case when load_stage != 'read' then row_number end) as distinct_row_numbers,
        coalesce(max(case when load_stage != 'read' then row_number end), 0) as max_row_number
    from row_numbers
    group by source_system, source_name

)

select * from counts
where
    rows_read != rows_staged + rows_quarantined
    or distinct_row_numbers != rows_read
    or max_row_number != rows_read
