{#-
    The rows of `relation` (source_system, source_name, source_channel, `keys`…, `measures`…)
    plus their rollups over channels (source_channel 'all'), over sources (source_name 'all')
    and, with `with_total`, over both, in the same column order. `measures` are summed: each
    counted row belongs to one source and one channel, so the rollups add up. (Written out
    rather than with GROUPING SETS, which the SQL linter cannot parse.)
-#}
{% macro source_channel_rollups(relation, keys, measures, with_total=false) %}
    {%- set rollups = [('source_name', "'all'"), ("'all'", 'source_channel')] %}
    {%- if with_total %}{% do rollups.append(("'all'", "'all'")) %}{% endif %}
    select
        source_system,
        source_name,
        source_channel,
        {{ (keys + measures) | join(', ') }}
    from {{ relation }}
    {%- for name_column, channel_column in rollups %}
    {%- set grouped = [] %}
    {%- for column in [name_column, channel_column] if not column.startswith("'") %}{% do grouped.append(column) %}{% endfor %}
    union all
    select
        source_system,
        {{ name_column }} as source_name,
        {{ channel_column }} as source_channel,
        {{ keys | join(', ') }},
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ relation }}
    group by {{ (['source_system'] + grouped + keys) | join(', ') }}
    {%- endfor %}
{%- endmacro %}
