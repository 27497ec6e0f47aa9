{#-
    A double rounded to `places` decimals, as a double. PostgreSQL rounds only numerics to
    places; its cast of a double to numeric keeps 15 significant digits, so values agree with
    DuckDB's round() except for ties in the 16th digit.
-#}
{% macro round_double(expression, places) %}
    {{- return(adapter.dispatch('round_double', 'crm_quality')(expression, places)) -}}
{% endmacro %}

{% macro default__round_double(expression, places) %}
    round({{ expression }}, {{ places }})
{% endmacro %}

{% macro postgres__round_double(expression, places) %}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{% endmacro %}
