{#- The non-null value of `expression` on the row with the smallest `order_by`, as an aggregate. -#}
{% macro first_value_by(expression, order_by) %}
    {{ return(adapter.dispatch('first_value_by', 'crm_quality')(expression, order_by)) }}
{% endmacro %}

{% macro default__first_value_by(expression, order_by) %}
    arg_min({{ expression }}, {{ order_by }}) filter (where {{ expression }} is not null)
{% endmacro %}

{% macro postgres__first_value_by(expression, order_by) %}
    (array_agg({{ expression }} order by {{ order_by }}) filter (where {{ expression }} is not null))[1]
{% endmacro %}
