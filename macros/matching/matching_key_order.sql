{#- A record key compared by code point (DuckDB always; PostgreSQL only under the C collation),
    so every engine puts the same record of a pair on the left, as Splink does (l < r). -#}
{% macro matching_key_order(expression) %}
    {{ return(adapter.dispatch('matching_key_order', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__matching_key_order(expression) %}
    {{- expression -}}
{% endmacro %}

{% macro postgres__matching_key_order(expression) %}
    {{- expression ~ ' collate "C"' -}}
{% endmacro %}
