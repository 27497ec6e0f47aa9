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
