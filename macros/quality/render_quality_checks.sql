{#-
    The whole body of a check model: one row per record of `relation_name` (a CTE the model
    prepares, with the record identity and the columns the checks' SQL names) whose source system
    has a catalog check reading that relation, with one outcome column per such check
    (quality_check_column). Which rows are checked and what is a defect come from the catalog
    only. One row per record, not per check: the record-level rates need no grouping of tens of
    millions of check rows, and nothing writes a row for a passing check.
-#}
{% macro render_quality_checks(relation_name) %}
    {%- set checks = quality_checks_where(relation=relation_name) %}
    {%- if not checks %}
        {{ exceptions.raise_compiler_error('no quality check reads ' ~ relation_name) }}
    {%- endif %}
    {%- set systems = checks | map(attribute='source_system') | unique | list %}
    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_channel,
        {%- for check in checks %}
        {%- set column = quality_check_column(check) %}
        {{ column }},
        case when {{ column }} then cast({{ check.raw_value }} as {{ dbt.type_string() }}) end
            as {{ column }}__raw_value
        {{- ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            {%- for check in checks %}
            {{ quality_check_outcome(check) }} as {{ quality_check_column(check) }},
            {%- endfor %}
            {{ relation_name }}.*
        from {{ relation_name }}
        where source_system in ('{{ systems | join("', '") }}')
    ) as judged
{%- endmacro %}
