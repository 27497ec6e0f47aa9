{#-
    The build's start time as a timestamp literal: the same value in every model and hook of a
    build. A build of two dbt invocations (crm_quality/build.py) sets CRM_BUILD_STARTED_AT for
    both; a lone dbt invocation is a build of its own. The variable is read only when executing:
    read while parsing, dbt would parse again every model using it at each build (its value
    changes), and no model needs it to parse.
-#}
{% macro monitoring_run_started_at() %}
    {%- set started_at = (env_var('CRM_BUILD_STARTED_AT', '') if execute else '') or run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') %}
    {{- "cast('" ~ started_at ~ "' as timestamp)" -}}
{% endmacro %}
