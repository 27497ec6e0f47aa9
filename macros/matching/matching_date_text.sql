{#- A date as ISO text ('1944-08-05'), whatever the session's date style. -#}
{% macro matching_date_text(expression) %}
    {{ return(adapter.dispatch('matching_date_text', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__matching_date_text(expression) %}
    {{- 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -}}
{% endmacro %}

{% macro postgres__matching_date_text(expression) %}
    {{- "to_char(" ~ expression ~ ", 'YYYY-MM-DD')" -}}
{% endmacro %}
