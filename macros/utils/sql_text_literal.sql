{#- A Jinja value as a quoted SQL string literal, or null. -#}
{% macro sql_text_literal(value) %}
    {{- 'null' if value is none else "'" ~ (value | string | replace("'", "''")) ~ "'" -}}
{% endmacro %}
