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

{#-
    `name as {{ wide_cte_materialized() }} (...)`: the same hint for a CTE of many wide rows
    (every candidate pair, every phone parsing step carrying every column so far). PostgreSQL
    needs it: inlined, its planner scored every pair of records before joining the blocked
    pairs (at 8,863 records a query of seconds ran past ten minutes), and recomputed each phone
    step per reference. DuckDB keeps a materialized CTE in memory whatever its memory_limit (the
    phone steps over a million contacts held 2 GiB beyond a 3 GB cap) and plans the inlined
    form well, so it gets no hint.
-#}
{% macro wide_cte_materialized() %}
    {{ return(adapter.dispatch('wide_cte_materialized', 'crm_quality')()) }}
{% endmacro %}

{% macro default__wide_cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro duckdb__wide_cte_materialized() -%}
{%- endmacro %}

{#-
    `name as {{ inlined_cte() }} (...)`: a CTE read twice and cheap to compute again (a filtered
    scan, a join to a small table). DuckDB writes such a CTE out whole before either read, every
    column of every row: staging a million orders took 10 CPU seconds so, 6 without. PostgreSQL
    and Spark SQL choose for themselves.
-#}
{% macro inlined_cte() %}
    {{ return(adapter.dispatch('inlined_cte', 'crm_quality')()) }}
{% endmacro %}

{% macro default__inlined_cte() -%}
{%- endmacro %}

{% macro duckdb__inlined_cte() -%}
    not materialized
{%- endmacro %}
