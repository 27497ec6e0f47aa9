-- Checks that judge every record have the staged records as their denominator, per source
-- system and channel: completeness, uniqueness and timeliness check every staged record; parseability
-- and "any defect" (quality_dimension 'all') also every quarantined row. Counted from the
-- staging models, so a check that skips or repeats a record fails it.
{%- set staged = [
    ('crm', 'stg_crm__contacts', 'source_channel'),
    ('billing', 'stg_billing__customers', "'billing'"),
    ('orders', 'stg_billing__orders', "'billing'"),
] %}
-- Dimension -> the source systems whose every staged record it judges; timeliness judges every
-- CRM record on its last touch (updated_at, else created_at).
{%- set dimensions_judging_every_staged_record = {
    'completeness': ['crm', 'billing', 'orders'],
    'uniqueness': ['crm', 'billing', 'orders'],
    'timeliness': ['crm'],
} %}
with

defect_rates as (

    select * from {{ ref('mart_defect_rate') }}

),

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}

),

rows_by_channel as (

    {%- for source_system, staging_model, channel in staged %}
    select
        '{{ source_system }}' as source_system,
        {{ channel }} as source_channel,
        count(*) as staged_rows,
        0 as quarantined_rows
    from {{ ref(staging_model) }}
    group by {{ channel }}
    union all
    {%- endfor %}
    select
        source_system,
        'unknown' as source_channel,
        0 as staged_rows,
        count(*) as quarantined_rows
    from quarantined
    group by source_system

),

rows_with_rollup as (

    select
        source_system,
        source_channel,
        sum(staged_rows) as staged_rows,
        sum(quarantined_rows) as quarantined_rows
    from rows_by_channel
    group by source_system, source_channel
    union all
    select
        source_system,
        'all' as source_channel,
        sum(staged_rows) as staged_rows,
        sum(quarantined_rows) as quarantined_rows
    from rows_by_channel
    group by source_system

),

every_record_checks as (

    -- The catalog's checks as the mart reports them (every one has an 'all' row), with what
    -- each must count.
    select
        source_system,
        quality_dimension,
        defect_type,
        field,
        quality_dimension = 'all' or defect_type = 'unparseable' as counts_quarantined_rows

    from defect_rates
    where
        source_channel = 'all'
        and (
            quality_dimension = 'all'
            or defect_type = 'unparseable'
            {%- for dimension, source_systems in dimensions_judging_every_staged_record.items() %}
            {%- set systems = "'" ~ source_systems | join("', '") ~ "'" %}
            or (quality_dimension = '{{ dimension }}' and source_system in ({{ systems }}))
            {%- endfor %}
        )

),

expected as (

    select
        every_record_checks.source_system,
        rows_with_rollup.source_channel,
        every_record_checks.quality_dimension,
        every_record_checks.defect_type,
        every_record_checks.field,
        rows_with_rollup.staged_rows
        + case when every_record_checks.counts_quarantined_rows then rows_with_rollup.quarantined_rows else 0 end
            as expected_records_checked

    from every_record_checks
    inner join rows_with_rollup on every_record_checks.source_system = rows_with_rollup.source_system

),

compared as (

    select
        expected.*,
        coalesce(defect_rates.records_checked, 0) as records_checked

    from expected
    left join defect_rates
        on
            expected.source_system = defect_rates.source_system
            and expected.source_channel = defect_rates.source_channel
            and expected.quality_dimension = defect_rates.quality_dimension
            and expected.defect_type = defect_rates.defect_type
            and expected.field = defect_rates.field

)

select * from compared
where records_checked != expected_records_checked
