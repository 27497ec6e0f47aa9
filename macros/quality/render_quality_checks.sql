{#-
    Every catalog check that reads `relation_name`, one select each, unioned: the whole body of
    a check model. The model prepares the relation (a CTE of that name, with the record identity
    and the columns the checks' SQL names); which rows are checked and what is a defect come
    from the catalog only.
-#}
{% macro render_quality_checks(relation_name) %}
    {%- set checks = quality_checks_where(relation=relation_name) %}
    {%- if not checks %}
        {{ exceptions.raise_compiler_error('no quality check reads ' ~ relation_name) }}
    {%- endif %}
    {%- for check in checks %}
    select
        {{ quality_check_columns(check) }}
    from {{ relation_name }}
    where
        source_system = '{{ check.source_system }}'
        and {{ field_is_collected(check) }}
        {%- if check.applies_when != 'true' %}
        and ({{ check.applies_when }})
        {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
