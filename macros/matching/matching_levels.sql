{#- A comparison's levels as Splink numbers them: the null level -1, the others counting down
    to 0 (the else level). Returns [{gamma, level}] in the model's order. -#}
{% macro matching_levels(comparison) %}
    {%- set levels = comparison['comparison_levels'] -%}
    {%- set non_null = levels | rejectattr('is_null_level') | list -%}
    {%- set numbered = [] -%}
    {%- set position = namespace(value=0) -%}
    {%- for level in levels -%}
        {%- if level.get('is_null_level') -%}
            {%- do numbered.append({'gamma': -1, 'level': level}) -%}
        {%- else -%}
            {%- do numbered.append({'gamma': non_null | length - 1 - position.value, 'level': level}) -%}
            {%- set position.value = position.value + 1 -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(numbered) }}
{% endmacro %}
