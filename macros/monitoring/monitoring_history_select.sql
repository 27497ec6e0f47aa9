{#- A select of typed nulls with the columns of a history table (see monitoring_history_columns). -#}
{% macro monitoring_history_select(table_name) %}
    select
        {%- for column_name, data_type in monitoring_history_columns(table_name) %}
        cast(null as {{ data_type }}) as {{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
{% endmacro %}
