{#- A statement run before a model whose many CTE joins the planner misjudges: PostgreSQL
    estimates CTE scans poorly and picks nested loops (clustering 4,000 records took over five
    minutes; with hash joins, under a minute). Empty where the planner needs no help. -#}
{% macro hash_joins_only() %}
    {{ return(adapter.dispatch('hash_joins_only', 'crm_quality')()) }}
{% endmacro %}

{% macro default__hash_joins_only() %}{% endmacro %}

{% macro postgres__hash_joins_only() %}
    set local enable_nestloop = off
{% endmacro %}
