{#-
    The build's id, the run_id of every history row it writes: CRM_BUILD_ID when a build spans
    two dbt invocations (crm_quality/build.py), else this invocation's id.
-#}
{% macro monitoring_run_id() %}
    {{- return(env_var('CRM_BUILD_ID', '') or invocation_id) -}}
{% endmacro %}
