{#-
    Monitor: the defect rate of one row of mart_defect_rate (by default the CRM's records with
    at least one defect, over every dimension) stays at most warn_pct (else warn) and at most
    error_pct (else error). Thresholds default to var monitor_defect_rate_pct[quality_dimension].
-#}
{% test defect_rate_at_most(
    model,
    source_system='crm',
    source_name='all',
    source_channel='all',
    quality_dimension='all',
    defect_type='any',
    field='record',
    warn_pct=none,
    error_pct=none
) %}
    {{ config(
        severity='error',
        fail_calc='coalesce(max(monitor_level), 0)',
        warn_if='>= 1',
        error_if='>= 2',
        meta={'monitor': true},
    ) }}
    {%- set thresholds = monitor_thresholds('monitor_defect_rate_pct', quality_dimension, warn_pct, error_pct) %}
-- depends_on: {{ ref('fct_test_results_history') }}
{{ monitor_rate(
    model,
    'defective_records',
    'records_checked',
    thresholds.warn_pct,
    thresholds.error_pct,
    where="source_system = '" ~ source_system ~ "' and source_name = '" ~ source_name
        ~ "' and source_channel = '" ~ source_channel
        ~ "' and quality_dimension = '" ~ quality_dimension ~ "' and defect_type = '" ~ defect_type
        ~ "' and field = '" ~ field ~ "'"
) }}
{% endtest %}
