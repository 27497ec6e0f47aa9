-- Records checked and defective per source system × source × channel: per catalog check, and
-- per record and dimension (defect_type 'any', field 'record': quality_check_counts). One pass
-- over the outcomes with a column per count, then a row per count.
{%- set counts = quality_check_counts() %}
with

outcomes as (

    select * from {{ ref('int_quality_check_outcomes') }}

),

counted as (

    select
        source_system,
        source_name,
        source_channel,
        {%- for count in counts %}
        sum(case when {{ count.checked }} then 1 else 0 end) as checked_{{ loop.index }},
        sum(case when {{ count.defective }} then 1 else 0 end) as defective_{{ loop.index }},
        {%- endfor %}
        count(*) as records_read

    from outcomes
    group by source_system, source_name, source_channel

),

unpivoted as (

    {%- for count in counts %}
    select
        source_system,
        source_name,
        source_channel,
        '{{ count.quality_dimension }}' as quality_dimension,
        '{{ count.defect_type }}' as defect_type,
        '{{ count.field }}' as field,
        checked_{{ loop.index }} as records_checked,
        defective_{{ loop.index }} as defective_records
    from counted
    where source_system = '{{ count.source_system }}'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        source_system,
        source_name,
        source_channel,
        quality_dimension,
        defect_type,
        field,
        cast(records_checked as bigint) as records_checked,
        cast(defective_records as bigint) as defective_records

    from unpivoted
    -- As for a record: a source group shows the checks it had records for.
    where records_checked > 0

)

select * from final
