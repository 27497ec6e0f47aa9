-- Defect rate per source system (role) × source (sources.yml) × channel × dimension × defect
-- type × field, with rollups over channels (source_channel = 'all'), over sources
-- (source_name = 'all') and over both, and record-level rows (defect_type 'any', field
-- 'record': records with at least one defect, per dimension and over all of them). Every
-- catalog check appears in the 'all'/'all' rollup even when nothing was checked.
with

counts as (

    select * from {{ ref('int_quality_check_counts') }}

),

catalog as (

    {{ quality_check_rules() }}

),

record_grid as (

    {%- for source_system in ['crm', 'billing', 'orders'] %}
    {%- for dimension in ['all', 'completeness', 'validity', 'accuracy', 'uniqueness', 'timeliness'] %}
    select
        '{{ source_system }}' as source_system,
        '{{ dimension }}' as quality_dimension
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

field_detail as (

    select * from counts
    where defect_type != 'any'

),

field_by_channel as (

    {{ source_channel_rollups(
        'field_detail',
        keys=['quality_dimension', 'defect_type', 'field'],
        measures=['records_checked', 'defective_records'],
    ) }}

),

field_all_channels as (

    select
        catalog.source_system,
        'all' as source_name,
        'all' as source_channel,
        catalog.quality_dimension,
        catalog.defect_type,
        catalog.field,
        coalesce(sum(field_by_channel.records_checked), 0) as records_checked,
        coalesce(sum(field_by_channel.defective_records), 0) as defective_records

    from catalog
    left join field_by_channel
        on
            catalog.source_system = field_by_channel.source_system
            and catalog.quality_dimension = field_by_channel.quality_dimension
            and catalog.defect_type = field_by_channel.defect_type
            and catalog.field = field_by_channel.field
            and field_by_channel.source_name != 'all'
            and field_by_channel.source_channel = 'all'
    group by catalog.source_system, catalog.quality_dimension, catalog.defect_type, catalog.field

),

record_detail as (

    select * from counts
    where defect_type = 'any'

),

record_by_channel as (

    {{ source_channel_rollups(
        'record_detail',
        keys=['quality_dimension', 'defect_type', 'field'],
        measures=['records_checked', 'defective_records'],
    ) }}

),

record_all_channels as (

    select
        record_grid.source_system,
        'all' as source_name,
        'all' as source_channel,
        record_grid.quality_dimension,
        'any' as defect_type,
        'record' as field,
        coalesce(sum(record_by_channel.records_checked), 0) as records_checked,
        coalesce(sum(record_by_channel.defective_records), 0) as defective_records

    from record_grid
    left join record_by_channel
        on
            record_grid.source_system = record_by_channel.source_system
            and record_grid.quality_dimension = record_by_channel.quality_dimension
            and record_by_channel.source_name != 'all'
            and record_by_channel.source_channel = 'all'
    group by record_grid.source_system, record_grid.quality_dimension

),

unioned as (

    select * from field_by_channel
    union all
    select * from field_all_channels
    union all
    select * from record_by_channel
    union all
    select * from record_all_channels

),

final as (

    select
        unioned.source_system,
        unioned.source_name,
        unioned.source_channel,
        unioned.quality_dimension,
        unioned.defect_type,
        unioned.field,
        cast(unioned.records_checked as bigint) as records_checked,
        cast(unioned.defective_records as bigint) as defective_records,
        {{ rate_pct('unioned.defective_records', 'unioned.records_checked') }} as defect_rate_pct,
        catalog.rule

    from unioned
    left join catalog
        on
            unioned.source_system = catalog.source_system
            and unioned.quality_dimension = catalog.quality_dimension
            and unioned.defect_type = catalog.defect_type
            and unioned.field = catalog.field

)

select * from final
