-- The failing rows of every failing test of every build, each as JSON, copied by the on-run-end
-- hook record_build_results from the audit tables that store_failures rewrites on each build.
-- This model declares the table; --full-refresh empties it.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    schema='audit',
) }}

with

declared as (

    {{ monitoring_history_select('fct_test_failures_history') }}

)

select * from declared
where false
