{#-
    Post-hook of a seed whose text column lists the word 'null' as a value: dbt loads seeds
    through agate on most engines, which reads an unquoted or quoted `null` as a missing
    value; dbt-duckdb reads the CSV itself and keeps the text. The seed has no empty values
    (a CSV cannot tell them from null), so a null there was the word.
-#}
{% macro seed_null_text_restored(column_name) %}
    {{- return(adapter.dispatch('seed_null_text_restored', 'crm_quality')(column_name)) -}}
{% endmacro %}

{% macro default__seed_null_text_restored(column_name) %}
    update {{ this }} set {{ column_name }} = 'null' where {{ column_name }} is null
{% endmacro %}

{% macro duckdb__seed_null_text_restored(column_name) %}
{% endmacro %}
