{#-
    The columns of one check row, in the order every check model unions them: the record
    identity (every prepared relation carries it), the catalog entry's labels, the outcome and,
    on a defective row, the raw value. Passing rows carry no value and no row carries the rule
    (quality_check_rules has it): only the issue list reads them, and writing them for every
    passing check was most of int_quality_checks' cost.
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
    case
        when {{ check.is_defective }} then cast({{ check.raw_value }} as {{ dbt.type_string() }})
    end as raw_value
{%- endmacro %}
