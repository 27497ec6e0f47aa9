{#-
    Pre-hook of an incremental history model: turns an existing column of another type into a
    double, so a history table created before rates became doubles (decimal(9, 4)) stops
    limiting them. dbt's on_schema_change does not change types of a contracted model.
-#}
{% macro monitoring_column_to_double(relation, column_name) %}
    {%- if execute and is_incremental() %}
        {%- for column in adapter.get_columns_in_relation(relation)
            if column.name == column_name and column.dtype | lower != type_double() %}
            alter table {{ relation }} alter column {{ column_name }} type {{ type_double() }}
        {%- endfor %}
    {%- endif %}
{% endmacro %}
