-- Records checked and defective per source system × source × channel: per catalog check, and
-- per record and dimension (defect_type 'any', field 'record': quality_check_counts). One pass
-- over each system's outcomes with a column per count, then a row per count.
{%- set counts = quality_check_counts() %}
{%- set numbered = [] %}
{%- for count in counts %}{% do numbered.append((loop.index, count)) %}{% endfor %}
with

outcomes as (

    select * from {{ ref('int_quality_check_outcomes') }}

),

{#- One pass per source system over its own rows, summing only its own checks: a row of one
    system never evaluates another's (3.9 million orders × every person check, at a million
    contacts). #}
{%- for system in counts | map(attribute='source_system') | unique %}
counted_{{ system }} as (

    select
        source_system,
        source_name,
        source_channel,
        {%- for index, count in numbered if count.source_system == system %}
        sum(case when {{ count.checked }} then 1 else 0 end) as checked_{{ index }},
        sum(case when {{ count.defective }} then 1 else 0 end) as defective_{{ index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from outcomes
    where source_system = '{{ system }}'
    group by source_system, source_name, source_channel

),

{% endfor -%}
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
    from counted_{{ count.source_system }}
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
