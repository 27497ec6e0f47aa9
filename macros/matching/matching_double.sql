{#- The 64-bit float type (dbt's type_float is a 32-bit float on DuckDB). -#}
{% macro matching_double() %}
    {{ return(adapter.dispatch('matching_double', 'crm_quality')()) }}
{% endmacro %}

{% macro default__matching_double() %}
    {{- 'double precision' -}}
{% endmacro %}
