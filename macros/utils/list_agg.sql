{#- Ordered, delimited string aggregation: each engine spells it differently. -#}
{% macro list_agg(expression, order_by, delimiter=', ') %}
    {{ return(adapter.dispatch('list_agg', 'crm_quality')(expression, order_by, delimiter)) }}
{% endmacro %}

{% macro default__list_agg(expression, order_by, delimiter) %}
    string_agg({{ expression }}, '{{ delimiter }}' order by {{ order_by }})
{% endmacro %}
