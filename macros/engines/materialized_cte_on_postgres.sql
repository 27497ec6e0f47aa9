{#-
    `name as {{ materialized_cte_on_postgres() }} (...)`: compute a CTE once on PostgreSQL
    only. Scoring pairs needs it there: inlined, the planner pushed the match-weight filter
    below the join with the blocked pairs and scored every pair of records (quadratic: at 8,863
    records a query of seconds ran past ten minutes), and each comparison level's case repeated
    the similarity calls. DuckDB plans the inlined form well, and would hold a materialized
    CTE of every candidate pair in memory whatever its memory_limit, so it gets no hint.
-#}
{% macro materialized_cte_on_postgres() %}
    {{ return(adapter.dispatch('materialized_cte_on_postgres', 'crm_quality')()) }}
{% endmacro %}

{% macro default__materialized_cte_on_postgres() -%}
{%- endmacro %}

{% macro postgres__materialized_cte_on_postgres() -%}
    materialized
{%- endmacro %}
