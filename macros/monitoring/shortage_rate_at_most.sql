{#-
    Monitor: the customer shortage rate of one row of mart_customer_shortage (by default the
    overall row) stays at most warn_pct (else warn) and error_pct (else error). Thresholds
    default to var monitor_shortage_rate_pct.
-#}
{% test shortage_rate_at_most(model, breakdown='overall', breakdown_value='all', warn_pct=none, error_pct=none) %}
    {{ config(
        severity='error',
        fail_calc='coalesce(max(monitor_level), 0)',
        warn_if='>= 1',
        error_if='>= 2',
        meta={'monitor': true},
    ) }}
    {%- set thresholds = monitor_thresholds('monitor_shortage_rate_pct', none, warn_pct, error_pct) %}
-- depends_on: {{ ref('fct_test_results_history') }}
{{ monitor_rate(
    model,
    'missing_customers',
    'actual_customers',
    thresholds.warn_pct,
    thresholds.error_pct,
    where="breakdown = '" ~ breakdown ~ "' and breakdown_value = '" ~ breakdown_value ~ "'"
) }}
{% endtest %}
