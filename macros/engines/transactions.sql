{#-
    Commits what a hook or run-operation wrote with run_query. dbt-postgres runs hooks outside
    dbt's transaction bookkeeping (adapter.commit() there can find "no transaction open" though
    psycopg holds one), so PostgreSQL gets a plain COMMIT, which at worst warns.
-#}
{% macro commit_writes() %}
    {{- return(adapter.dispatch('commit_writes', 'crm_quality')()) -}}
{% endmacro %}

{% macro default__commit_writes() %}
    {%- do adapter.commit() %}
{% endmacro %}

{% macro postgres__commit_writes() %}
    {%- do run_query('commit') %}
{% endmacro %}
