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
