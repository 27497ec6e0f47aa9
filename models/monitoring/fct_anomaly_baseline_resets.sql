-- Resets of single anomaly series: from baseline_starts_at on, mart_quality_anomalies judges the
-- series against a baseline started afresh. Rows are appended by the run-operation
-- reset_anomaly_baseline (make reset-anomaly-baseline); this model declares the table, and
-- --full-refresh empties it.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

with

declared as (

    {{ monitoring_history_select('fct_anomaly_baseline_resets') }}

)

select * from declared
where false
