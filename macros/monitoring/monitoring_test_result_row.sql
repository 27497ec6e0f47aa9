{#- One `values` tuple of fct_test_results_history for a test result. -#}
{% macro monitoring_test_result_row(result) %}
    {%- set node = result.node %}
    {%- set metadata = node.test_metadata %}
    {%- set kwargs = metadata.kwargs if metadata else {} %}
    {%- set is_monitor = (node.config.meta or {}).get('monitor', false) is sameas true %}
    {%- set measured = monitoring_measurement(result) if is_monitor else {} %}
    {%- set stored = result.status in ('pass', 'warn', 'fail') and failing_rows_stored(
        node.config.meta, result.failures, result.status in ('warn', 'fail')
    ) %}
    {%- if node.attached_node %}
        {%- set tested_model = node.attached_node.split('.')[-1] %}
    {%- else %}
        {%- set parents = [] %}
        {%- for parent in node.depends_on.nodes %}
            {%- do parents.append(parent.split('.')[-1]) %}
        {%- endfor %}
        {%- set tested_model = parents | join(', ') if parents else none %}
    {%- endif %}
    {%- if metadata %}
        {%- set test_type = metadata.name %}
    {%- elif node.resource_type == 'unit_test' %}
        {%- set test_type = 'unit' %}
    {%- else %}
        {%- set test_type = 'singular' %}
    {%- endif %}
    {%- set literals = [monitoring_sql_literal(monitoring_run_id()), monitoring_run_started_at()] %}
    {%- for value in [
        node.unique_id,
        node.name,
        test_type,
        tested_model,
        node.column_name or kwargs.get('column_name'),
        result.status | string,
        result.failures,
        node.config.severity,
        node.config.warn_if,
        node.config.error_if,
        is_monitor,
        measured.get('numerator'),
        measured.get('denominator'),
        measured.get('measured_pct'),
        measured.get('warn_pct'),
        measured.get('error_pct'),
        result.message,
        result.execution_time,
        node.relation_name if stored else none,
    ] %}
        {%- do literals.append(monitoring_sql_literal(value)) %}
    {%- endfor %}
    {{ return('(' ~ literals | join(', ') ~ ')') }}
{% endmacro %}
