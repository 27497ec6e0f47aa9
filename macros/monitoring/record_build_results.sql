{#-
    on-run-end hook: appends every test of this invocation to fct_test_results_history (status,
    failures, thresholds and, for monitors, the measured rate) and copies the failing rows that
    store_failures left in the audit schema into fct_test_failures_history, tagged with the
    invocation id, since dbt replaces those audit tables on the next build. Creates either table
    when it does not exist yet (e.g. on a first `dbt test`).
-#}
{% macro record_build_results(results) %}
    {%- if execute %}
        {%- set results_relation = monitoring_relation('fct_test_results_history') %}
        {%- set failures_relation = monitoring_relation('fct_test_failures_history') %}
        {%- do monitoring_create_history_table(results_relation, 'fct_test_results_history') %}
        {%- do monitoring_create_history_table(failures_relation, 'fct_test_failures_history') %}
        {%- set rows = [] %}
        {%- for result in results if result.node.resource_type in ('test', 'unit_test') %}
            {%- do rows.append(monitoring_test_result_row(result)) %}
            {%- if result.status in ('fail', 'warn') and result.node.relation_name %}
                {%- do monitoring_copy_failing_rows(result, failures_relation) %}
            {%- endif %}
        {%- endfor %}
        {%- if rows %}
            {%- set column_names = [] %}
            {%- for column_name, data_type in monitoring_history_columns('fct_test_results_history') %}
                {%- do column_names.append(column_name) %}
            {%- endfor %}
            {%- do run_query(
                'insert into ' ~ results_relation ~ ' (' ~ column_names | join(', ') ~ ') values\n'
                ~ rows | join(',\n')
            ) %}
        {%- endif %}
        {%- do commit_writes() %}
    {%- endif %}
    select 1
{% endmacro %}
