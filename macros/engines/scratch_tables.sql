{#-
    Scratch tables for a model that iterates while it compiles (run_query): temporary, so they
    live in the model's own session and vanish with it. PostgreSQL keeps no statistics for a
    temporary table until it is analyzed, and without them it plans joins on guessed row counts
    (nested loops over a million rows); DuckDB keeps them as it writes.
-#}
{% macro create_scratch_table(name, sql) %}
    {%- do run_query('drop table if exists ' ~ name) %}
    {%- do run_query('create temporary table ' ~ name ~ ' as ' ~ sql) %}
    {%- do adapter.dispatch('analyze_scratch_table', 'crm_quality')(name) %}
{% endmacro %}

{% macro default__analyze_scratch_table(name) %}{% endmacro %}

{% macro postgres__analyze_scratch_table(name) %}
    {%- do run_query('analyze ' ~ name) %}
{% endmacro %}

{% macro drop_scratch_table(name) %}
    {%- do run_query('drop table if exists ' ~ name) %}
{% endmacro %}

{#- The first column of the first row of a query's result. -#}
{% macro scalar_query(sql) %}
    {{- return(run_query(sql).columns[0].values()[0]) -}}
{% endmacro %}
