{#-
    A cast that yields null instead of failing on a bad value, so bad input is flagged, not fatal.
    The name also overrides dbt's own safe_cast, which dbt's unit tests cast every fixture value
    with: each variant must cast good values of every type.
-#}
{% macro safe_cast(expression, data_type) %}
    {{ return(adapter.dispatch('safe_cast', 'crm_quality')(expression, data_type)) }}
{% endmacro %}

{% macro default__safe_cast(expression, data_type) %}
    try_cast({{ expression }} as {{ data_type }})
{% endmacro %}

{% macro postgres__safe_cast(expression, data_type) %}
    {#- Postgres has no try_cast: numeric targets accept only plain decimal text; other types
        are cast as they are (dates have their own parsers, macros/engines/dates.sql). -#}
    {%- if modules.re.match('(smallint|integer|int|bigint|numeric|decimal|real|double|float)', data_type | lower) %}
        case when cast({{ expression }} as text) ~ '^-?[0-9]+(\.[0-9]+)?$' then cast({{ expression }} as {{ data_type }}) end
    {%- else %}
        cast({{ expression }} as {{ data_type }})
    {%- endif %}
{% endmacro %}
