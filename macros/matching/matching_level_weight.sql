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
