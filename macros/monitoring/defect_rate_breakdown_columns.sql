{#-
    The history's series key of a mart_defect_rate row. Rows rolled up over sources keep the key
    they had before sources were declared, so a warehouse's history continues; a single
    source's rows name it after the role.
-#}
{% macro defect_rate_breakdown_columns() %}
    case
        when source_name = 'all' then 'source_system/source_channel/quality_dimension/defect_type/field'
        else 'source_system/source_name/source_channel/quality_dimension/defect_type/field'
    end as breakdown,
    source_system || '/'
    || case when source_name = 'all' then '' else source_name || '/' end
    || source_channel || '/' || quality_dimension || '/' || defect_type || '/' || field as breakdown_value
{%- endmacro %}
