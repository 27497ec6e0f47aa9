{#- Lower-cased, trimmed header names of a raw CSV file. -#}
{% macro raw_file_columns(file_path) %}
    {{ return(adapter.dispatch('raw_file_columns', 'crm_quality')(file_path)) }}
{% endmacro %}

{% macro duckdb__raw_file_columns(file_path) %}
    {% set result = run_query(
        "describe select * from read_csv('" ~ file_path | replace("'", "''")
        ~ "', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
    ) %}
    {% set names = [] %}
    {% for column_name in result.columns[0].values() %}
        {% do names.append(column_name | trim | lower) %}
    {% endfor %}
    {{ return(names) }}
{% endmacro %}
