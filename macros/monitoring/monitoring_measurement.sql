{#-
    What a monitor measured in this build, re-evaluated from its compiled query (one row, cheap),
    so the value is kept whether or not the test passed and whether or not failures are stored.
-#}
{% macro monitoring_measurement(result) %}
    {%- if result.status not in ('pass', 'warn', 'fail') or not result.node.compiled_code %}
        {{ return({}) }}
    {%- endif %}
    {%- set measured = run_query(
        'select numerator, denominator, measured_pct, warn_pct, error_pct from (\n'
        ~ result.node.compiled_code ~ '\n) as monitor limit 1'
    ) %}
    {%- if measured.rows | length == 0 %}
        {{ return({}) }}
    {%- endif %}
    {%- set row = measured.rows[0] %}
    {{ return({
        'numerator': row['numerator'],
        'denominator': row['denominator'],
        'measured_pct': none if row['measured_pct'] is none else row['measured_pct'] | float,
        'warn_pct': row['warn_pct'],
        'error_pct': row['error_pct'],
    }) }}
{% endmacro %}
