-- Every test of every build: status, failures, thresholds and, for monitors, the measured rate.
-- The rows come from the on-run-end hook record_build_results (dbt's `results` exist only
-- there); this model declares the table, so it is documented and contracted, and --full-refresh
-- empties it.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

with

declared as (

    {{ monitoring_history_select('fct_test_results_history') }}

)

select * from declared
where false
