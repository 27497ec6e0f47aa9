{#- Ordered, delimited string aggregation: each engine spells it differently. -#}
{% macro list_agg(expression, order_by, delimiter=', ') %}
    {{ return(adapter.dispatch('list_agg', 'crm_quality')(expression, order_by, delimiter)) }}
{% endmacro %}

{% macro default__list_agg(expression, order_by, delimiter) %}
    string_agg({{ expression }}, '{{ delimiter }}' order by {{ order_by }})
{% endmacro %}

{% macro spark__list_agg(expression, order_by, delimiter) %}
    array_join(array_sort(collect_list({{ expression }})), '{{ delimiter }}')
{% endmacro %}
