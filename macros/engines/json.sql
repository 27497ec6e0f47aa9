{#- A table alias's whole row as JSON text ({"column": value, …}), for keeping failing rows. -#}
{% macro row_to_json_text(table_alias) %}
    {{- return(adapter.dispatch('row_to_json_text', 'crm_quality')(table_alias)) -}}
{% endmacro %}

{% macro default__row_to_json_text(table_alias) %}
    cast(to_json({{ table_alias }}) as varchar)
{% endmacro %}

{% macro postgres__row_to_json_text(table_alias) %}
    cast(row_to_json({{ table_alias }}) as text)
{% endmacro %}
