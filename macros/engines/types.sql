{#- An 8-byte float column type: PostgreSQL spells it `double precision`, where `double` is no type. -#}
{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'crm_quality')()) -}}
{% endmacro %}

{% macro default__type_double() %}
    {{- return('double') -}}
{% endmacro %}

{% macro postgres__type_double() %}
    {{- return('double precision') -}}
{% endmacro %}

{#- A timestamp of whole seconds, the type pandas' datetime64[s] is written as: DuckDB has
    timestamp_s, PostgreSQL timestamp(0) (which rounds a fraction, where DuckDB truncates: cast
    dates, or whole seconds, to it). -#}
{% macro type_timestamp_seconds() %}
    {{- return(adapter.dispatch('type_timestamp_seconds', 'crm_quality')()) -}}
{% endmacro %}

{% macro default__type_timestamp_seconds() %}
    {{- return('timestamp_s') -}}
{% endmacro %}

{% macro postgres__type_timestamp_seconds() %}
    {{- return('timestamp(0)') -}}
{% endmacro %}
