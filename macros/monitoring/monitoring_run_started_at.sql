{#- This invocation's start time as a timestamp literal: the same value in every model and hook of a build. -#}
{% macro monitoring_run_started_at() %}
    {{- "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -}}
{% endmacro %}
