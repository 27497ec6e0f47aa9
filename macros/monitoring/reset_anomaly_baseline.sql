{#-
    run-operation: starts the anomaly baseline of one series over from its newest build, which
    becomes the first build of the new baseline; every other series keeps its history and its
    baseline, and the series' earlier builds keep their judgement. Appends one row per matching
    series to fct_anomaly_baseline_resets; mart_quality_anomalies applies it when next built.
    `breakdown` may be left out when metric and breakdown_value name one series.
-#}
{% macro reset_anomaly_baseline(metric, breakdown_value, breakdown=none, reason=none) %}
    {%- set history = monitoring_relation('mart_data_quality_history') %}
    {%- set resets = monitoring_relation('fct_anomaly_baseline_resets') %}
    {%- set series_sql = 'select metric, breakdown, breakdown_value, max(run_started_at) as baseline_starts_at'
        ~ ' from ' ~ history
        ~ ' where metric = ' ~ monitoring_sql_literal(metric)
        ~ ' and breakdown_value = ' ~ monitoring_sql_literal(breakdown_value)
        ~ (' and breakdown = ' ~ monitoring_sql_literal(breakdown) if breakdown is not none else '')
        ~ ' group by metric, breakdown, breakdown_value' %}
    {%- set series = run_query(series_sql ~ ' order by metric, breakdown, breakdown_value') %}
    {%- if series.rows | length == 0 %}
        {{ exceptions.raise_compiler_error(
            "No series in " ~ history ~ " with metric '" ~ metric ~ "', breakdown_value '" ~ breakdown_value
            ~ "'" ~ (", breakdown '" ~ breakdown ~ "'" if breakdown is not none else '') ~ ": nothing was reset"
        ) }}
    {%- endif %}
    {%- do monitoring_create_history_table(resets, 'fct_anomaly_baseline_resets') %}
    {%- do run_query(
        'insert into ' ~ resets
        ~ ' (metric, breakdown, breakdown_value, baseline_starts_at, reset_at, reason)'
        ~ " select series.*, current_timestamp at time zone 'UTC', " ~ monitoring_sql_literal(reason)
        ~ ' from (' ~ series_sql ~ ') as series'
    ) %}
    {%- do commit_writes() %}
    {%- for row in series.rows %}
        {{ log(
            'Reset the anomaly baseline of ' ~ row['metric'] ~ ' / ' ~ row['breakdown'] ~ ' / '
            ~ row['breakdown_value'] ~ ': judged afresh from its build of ' ~ row['baseline_starts_at'],
            info=true
        ) }}
    {%- endfor %}
{% endmacro %}
