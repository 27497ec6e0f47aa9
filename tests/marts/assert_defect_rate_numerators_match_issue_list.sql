-- The defect counts are the issue list: per source system, source, channel and check, and
-- over sources and channels,
-- defective_records equals the rows of fct_data_quality_issues, and a record-level row
-- ('any' defect) equals the distinct records with an issue in that dimension (or in any).
with

defect_rates as (

    select * from {{ ref('mart_defect_rate') }}

),

issues as (

    select * from {{ ref('fct_data_quality_issues') }}

),

issue_detail as (

    select
        source_system,
        source_name,
        source_channel,
        quality_dimension,
        defect_type,
        field,
        count(*) as issue_records
    from issues
    group by source_system, source_name, source_channel, quality_dimension, defect_type, field
    union all
    select
        source_system,
        source_name,
        source_channel,
        quality_dimension,
        'any' as defect_type,
        'record' as field,
        count(distinct source_record_id) as issue_records
    from issues
    group by source_system, source_name, source_channel, quality_dimension
    union all
    select
        source_system,
        source_name,
        source_channel,
        'all' as quality_dimension,
        'any' as defect_type,
        'record' as field,
        count(distinct source_record_id) as issue_records
    from issues
    group by source_system, source_name, source_channel

),

issue_counts as (

    {{ source_channel_rollups(
        'issue_detail',
        keys=['quality_dimension', 'defect_type', 'field'],
        measures=['issue_records'],
        with_total=true,
    ) }}

),

reported as (

    select * from defect_rates

),

compared as (

    select
        coalesce(reported.source_system, issue_counts.source_system) as source_system,
        coalesce(reported.source_name, issue_counts.source_name) as source_name,
        coalesce(reported.source_channel, issue_counts.source_channel) as source_channel,
        coalesce(reported.quality_dimension, issue_counts.quality_dimension) as quality_dimension,
        coalesce(reported.defect_type, issue_counts.defect_type) as defect_type,
        coalesce(reported.field, issue_counts.field) as field,
        coalesce(reported.defective_records, 0) as defective_records,
        coalesce(issue_counts.issue_records, 0) as issue_records

    from reported
    full outer join issue_counts
        on
            reported.source_system = issue_counts.source_system
            and reported.source_name = issue_counts.source_name
            and reported.source_channel = issue_counts.source_channel
            and reported.quality_dimension = issue_counts.quality_dimension
            and reported.defect_type = issue_counts.defect_type
            and reported.field = issue_counts.field

)

select * from compared
where defective_records != issue_records
