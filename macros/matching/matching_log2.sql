{#- Base-2 logarithm of a double (PostgreSQL has none for double precision). -#}
{% macro matching_log2(expression) %}
    {{ return(adapter.dispatch('matching_log2', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__matching_log2(expression) %}
    {{- 'log2(' ~ expression ~ ')' -}}
{% endmacro %}

{% macro postgres__matching_log2(expression) %}
    {{- '(ln(' ~ expression ~ ') / ln(cast(2 as double precision)))' -}}
{% endmacro %}
