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

{#- A level's match weight, log2(m / u), m and u floored as Splink floors them (1e-300). -#}
{% macro matching_level_weight(comparison_name, level) %}
    {%- if level.get('m_probability') is none or level.get('u_probability') is none -%}
        {{ exceptions.raise_compiler_error(
            'Matching model: level ' ~ level.get('label_for_charts') ~ ' of ' ~ comparison_name ~ ' has no trained m or u'
        ) }}
    {%- endif -%}
    {%- set m = [level['m_probability'], 1e-300] | max -%}
    {%- set u = [level['u_probability'], 1e-300] | max -%}
    {{- matching_log2('cast(' ~ m ~ ' as ' ~ matching_double() ~ ') / cast(' ~ u ~ ' as ' ~ matching_double() ~ ')') -}}
{% endmacro %}

{#- The u of the comparison's exact-match level on `column` (what a term-frequency adjustment
    is measured against, as Splink finds it). -#}
{% macro matching_exact_match_u(comparison, column) %}
    {%- set exact = '"' ~ column ~ '_l" = "' ~ column ~ '_r"' -%}
    {%- for level in comparison['comparison_levels'] -%}
        {%- if level['sql_condition'] | replace('"', '') | lower | trim == exact | replace('"', '') | lower -%}
            {{ return(level['u_probability']) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'Matching model: no exact-match level on ' ~ column ~ ' for its term-frequency adjustment'
    ) }}
{% endmacro %}
