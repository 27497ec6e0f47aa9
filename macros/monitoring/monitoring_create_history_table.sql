{#- Creates a history table (and its schema) from monitoring_history_columns when missing. -#}
{% macro monitoring_create_history_table(relation, table_name) %}
    {%- set column_definitions = [] %}
    {%- for column_name, data_type in monitoring_history_columns(table_name) %}
        {%- do column_definitions.append(column_name ~ ' ' ~ data_type) %}
    {%- endfor %}
    {%- do adapter.create_schema(relation.without_identifier()) %}
    {%- do run_query(
        'create table if not exists ' ~ relation ~ ' (' ~ column_definitions | join(', ') ~ ')'
    ) %}
{% endmacro %}
