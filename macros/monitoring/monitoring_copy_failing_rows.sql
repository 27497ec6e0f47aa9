{#- Copies up to var monitor_failure_rows_kept stored failing rows of a test, each as JSON. -#}
{% macro monitoring_copy_failing_rows(result, failures_relation) %}
    {%- set node = result.node %}
    {%- do run_query(
        'insert into ' ~ failures_relation
        ~ ' (run_id, run_started_at, test_unique_id, test_name, tested_model, status, failure_row_number, failing_row)'
        ~ ' select ' ~ monitoring_sql_literal(invocation_id)
        ~ ', ' ~ monitoring_run_started_at()
        ~ ', ' ~ monitoring_sql_literal(node.unique_id)
        ~ ', ' ~ monitoring_sql_literal(node.name)
        ~ ', ' ~ monitoring_sql_literal(node.attached_node.split('.')[-1] if node.attached_node else none)
        ~ ', ' ~ monitoring_sql_literal(result.status | string)
        ~ ', row_number() over ()'
        ~ ', ' ~ row_to_json_text('failed')
        ~ ' from ' ~ node.relation_name ~ ' as failed'
        ~ ' limit ' ~ var('monitor_failure_rows_kept')
    ) %}
{% endmacro %}
