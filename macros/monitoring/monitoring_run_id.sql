{#-
    The build's id, the run_id of every history row it writes: CRM_BUILD_ID when a build spans
    two dbt invocations (crm_quality/build.py), else this invocation's id. Read only when
    executing, as in monitoring_run_started_at.
-#}
{% macro monitoring_run_id() %}
    {{- return((env_var('CRM_BUILD_ID', '') if execute else '') or invocation_id) -}}
{% endmacro %}
