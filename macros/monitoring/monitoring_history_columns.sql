{#-
    Columns of the tables that macros append to: the on-run-end hook (test results and failing
    rows) and the run-operation reset_anomaly_baseline. The models that declare the tables and
    the macros that create them when missing both read this list, so they cannot drift apart.
-#}
{% macro monitoring_history_columns(table_name) %}
    {%- set columns = {
        'fct_test_results_history': [
            ('run_id', 'varchar'),
            ('run_started_at', 'timestamp'),
            ('test_unique_id', 'varchar'),
            ('test_name', 'varchar'),
            ('test_type', 'varchar'),
            ('tested_model', 'varchar'),
            ('column_name', 'varchar'),
            ('status', 'varchar'),
            ('failures', 'bigint'),
            ('severity', 'varchar'),
            ('warn_if', 'varchar'),
            ('error_if', 'varchar'),
            ('is_monitor', 'boolean'),
            ('measured_numerator', 'bigint'),
            ('measured_denominator', 'bigint'),
            ('measured_pct', type_double()),
            ('warn_pct', type_double()),
            ('error_pct', type_double()),
            ('message', 'varchar'),
            ('execution_seconds', type_double()),
            ('failures_relation', 'varchar'),
        ],
        'fct_test_failures_history': [
            ('run_id', 'varchar'),
            ('run_started_at', 'timestamp'),
            ('test_unique_id', 'varchar'),
            ('test_name', 'varchar'),
            ('tested_model', 'varchar'),
            ('status', 'varchar'),
            ('failure_row_number', 'bigint'),
            ('failing_row', 'varchar'),
        ],
        'fct_anomaly_baseline_resets': [
            ('metric', 'varchar'),
            ('breakdown', 'varchar'),
            ('breakdown_value', 'varchar'),
            ('baseline_starts_at', 'timestamp'),
            ('reset_at', 'timestamp'),
            ('reason', 'varchar'),
        ],
    } -%}
    {{ return(columns[table_name]) }}
{% endmacro %}
