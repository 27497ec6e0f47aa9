{#- A text expression that compares and sorts by code point (the order of Python strings), not by
    the database's locale: PostgreSQL sorts by its collation unless told "C". -#}
{% macro code_point_order(expression) %}
    {{ return(adapter.dispatch('code_point_order', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__code_point_order(expression) %}
    {{ expression }}
{% endmacro %}

{% macro postgres__code_point_order(expression) %}
    {{ expression }} collate "C"
{% endmacro %}
