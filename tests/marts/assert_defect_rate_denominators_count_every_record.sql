-- Checks that judge every record have the staged records as their denominator, per source
-- system, source and channel (and their rollups): completeness, uniqueness and timeliness check
-- every staged record of a source that collects the field; parseability and "any defect"
-- (quality_dimension 'all') every record and every quarantined row that is a record (a report
-- export's footer line is none). Counted from the staged records, so a check that skips or
-- repeats a record fails it.
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

person_records as (

    select * from {{ ref('int_person_records_unioned') }}

),

orders as (

    select * from {{ ref('stg_billing__orders') }}

),

quarantined as (

    select * from {{ ref('int_raw_rows_quarantined') }}
    where is_record

),

source_fields as (

    select * from {{ ref('stg_sources__fields') }}

),

rows_by_channel as (

    select
        source_system,
        source_name,
        source_channel,
        count(*) as staged_rows,
        0 as quarantined_rows
    from person_records
    group by source_system, source_name, source_channel
    union all
    select
        'orders' as source_system,
        source_name,
        'billing' as source_channel,
        count(*) as staged_rows,
        0 as quarantined_rows
    from orders
    group by source_name
    union all
    select
        source_system,
        source_name,
        'unknown' as source_channel,
        0 as staged_rows,
        count(*) as quarantined_rows
    from quarantined
    group by source_system, source_name

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
        source_name = 'all'
        and source_channel = 'all'
        and (
            quality_dimension = 'all'
            or defect_type = 'unparseable'
            {%- for dimension, source_systems in dimensions_judging_every_staged_record.items() %}
            {%- set systems = "'" ~ source_systems | join("', '") ~ "'" %}
            or (quality_dimension = '{{ dimension }}' and source_system in ({{ systems }}))
            {%- endfor %}
        )

),

collected_checks as (

    -- A check judges a source's records only where the source collects its field. The last
    -- touch is collected where created_at or updated_at is, and timeliness (its stale check and
    -- its records with any defect) judges only that: a newsletter list may give neither.
    select distinct
        every_record_checks.source_system,
        every_record_checks.quality_dimension,
        every_record_checks.defect_type,
        every_record_checks.field,
        source_fields.source_name
    from every_record_checks
    inner join source_fields
        on
            every_record_checks.source_system = source_fields.source_system
            and (
                (every_record_checks.field = 'record' and every_record_checks.quality_dimension != 'timeliness')
                or (
                    source_fields.is_collected
                    and (
                        every_record_checks.field = source_fields.field
                        or (
                            (
                                every_record_checks.field = 'last_touched_at'
                                or every_record_checks.quality_dimension = 'timeliness'
                            )
                            and source_fields.field in ('created_at', 'updated_at')
                        )
                    )
                )
            )

),

expected_detail as (

    select
        every_record_checks.source_system,
        rows_by_channel.source_name,
        rows_by_channel.source_channel,
        every_record_checks.quality_dimension,
        every_record_checks.defect_type,
        every_record_checks.field,
        case
            when collected_checks.source_name is null then 0
            when every_record_checks.counts_quarantined_rows
                then rows_by_channel.staged_rows + rows_by_channel.quarantined_rows
            else rows_by_channel.staged_rows
        end as expected_records_checked

    from every_record_checks
    inner join rows_by_channel on every_record_checks.source_system = rows_by_channel.source_system
    left join collected_checks
        on
            every_record_checks.source_system = collected_checks.source_system
            and every_record_checks.quality_dimension = collected_checks.quality_dimension
            and every_record_checks.defect_type = collected_checks.defect_type
            and every_record_checks.field = collected_checks.field
            and rows_by_channel.source_name = collected_checks.source_name

),

expected as (

    {{ source_channel_rollups(
        'expected_detail',
        keys=['quality_dimension', 'defect_type', 'field'],
        measures=['expected_records_checked'],
        with_total=true,
    ) }}

),

compared as (

    select
        expected.*,
        coalesce(defect_rates.records_checked, 0) as records_checked

    from expected
    left join defect_rates
        on
            expected.source_system = defect_rates.source_system
            and expected.source_name = defect_rates.source_name
            and expected.source_channel = defect_rates.source_channel
            and expected.quality_dimension = defect_rates.quality_dimension
            and expected.defect_type = defect_rates.defect_type
            and expected.field = defect_rates.field

)

select * from compared
where records_checked != expected_records_checked
