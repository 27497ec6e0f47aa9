{#-
    Date arithmetic the temporal standardizers need. DuckDB and PostgreSQL share the
    default spelling (interval arithmetic, date + integer); Spark SQL would need
    timestampadd/date_add variants here.
-#}

{#- `timestamp_expression` moved by `minutes` (an integer expression, may be negative). -#}
{% macro minutes_added(timestamp_expression, minutes) %}
    {{ return(adapter.dispatch('minutes_added', 'crm_quality')(timestamp_expression, minutes)) }}
{% endmacro %}

{% macro default__minutes_added(timestamp_expression, minutes) -%}
    ({{ timestamp_expression }} + ({{ minutes }}) * interval '1 minute')
{%- endmacro %}

{#- The date `days` (an integer) after `date_expression`, as a date. -#}
{% macro days_added(date_expression, days) %}
    {{ return(adapter.dispatch('days_added', 'crm_quality')(date_expression, days)) }}
{% endmacro %}

{% macro default__days_added(date_expression, days) -%}
    (cast({{ date_expression }} as date) + cast({{ days }} as integer))
{%- endmacro %}

{#- A timestamp from canonical text 'YYYY-MM-DD HH:MI:SS.ffffff' (year 0001-9999). -#}
{% macro timestamp_from_canonical_text(expression) %}
    {{ return(adapter.dispatch('timestamp_from_canonical_text', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__timestamp_from_canonical_text(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}
