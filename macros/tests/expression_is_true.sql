{#- Fails with every row where the boolean expression does not hold. -#}
{% test expression_is_true(model, expression) %}

select * from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
