{#- A cast that yields null instead of failing on a bad value, so bad input is flagged, not fatal. -#}
{% macro safe_cast(expression, data_type) %}
    {{ return(adapter.dispatch('safe_cast', 'crm_quality')(expression, data_type)) }}
{% endmacro %}

{% macro default__safe_cast(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro postgres__safe_cast(expression, data_type) %}
    {#- Postgres has no try_cast: accept only plain decimal text for numeric targets. -#}
    case when {{ expression }} ~ '^-?[0-9]+(\.[0-9]+)?$' then cast({{ expression }} as {{ data_type }}) end
{% endmacro %}
