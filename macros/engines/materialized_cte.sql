{#-
    `name as {{ materialized_cte() }} (...)`: compute a CTE once. PostgreSQL otherwise inlines
    a CTE used once and substitutes its expressions into every reference, so a column read
    fourteen times (regex captures) or carried through passes (e-mail unwrapping) is
    recomputed that often, with one subplan per copy; DuckDB takes the same hint. Spark SQL
    has no such keyword and would render nothing here.
-#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'crm_quality')()) }}
{% endmacro %}

{% macro default__materialized_cte() -%}
    materialized
{%- endmacro %}
