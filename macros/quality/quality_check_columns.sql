{#-
    The columns of one check row, in the order every check model unions them: the record
    identity (every prepared relation carries it), the catalog entry's labels, the outcome, the
    raw value and the rule.
-#}
{% macro quality_check_columns(check) %}
    record_key,
    source_system,
    source_name,
    source_record_id,
    source_channel,
    '{{ check.quality_dimension }}' as quality_dimension,
    '{{ check.defect_type }}' as defect_type,
    '{{ check.field }}' as field,
    {{ check.is_defective }} as is_defective,
    cast({{ check.raw_value }} as {{ dbt.type_string() }}) as raw_value,
    '{{ check.rule }}' as rule
{%- endmacro %}
