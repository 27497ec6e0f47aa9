{#-
    Monitor: the share of rows where column_name is null stays at most warn_pct (else warn) and
    error_pct (else error). Thresholds default to var monitor_null_rate_pct; restrict the rows
    with dbt's `where` config.
-#}
{% test null_rate_at_most(model, column_name, warn_pct=none, error_pct=none) %}
    {{ config(
        severity='error',
        fail_calc='coalesce(max(monitor_level), 0)',
        warn_if='>= 1',
        error_if='>= 2',
        meta={'monitor': true},
    ) }}
    {%- set thresholds = monitor_thresholds('monitor_null_rate_pct', none, warn_pct, error_pct) %}
-- depends_on: {{ ref('fct_test_results_history') }}
{{ monitor_rate(
    model,
    'case when ' ~ column_name ~ ' is null then 1 else 0 end',
    '1',
    thresholds.warn_pct,
    thresholds.error_pct
) }}
{% endtest %}
