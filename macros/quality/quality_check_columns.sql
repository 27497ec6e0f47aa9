{#-
    The columns of one check row, in the order every check model unions them:
    record identity, the catalog entry's labels, the outcome, the raw value and the rule.
    `relation` prefixes the identity columns; `source_system` / `source_name` / `source_channel` replace them
    with an expression where the relation has none.
-#}
{% macro quality_check_columns(check, is_defective, raw_value, relation=none, source_system=none, source_name=none, source_channel=none) %}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}record_key,
    {{ source_system or prefix ~ 'source_system' }} as source_system,
    {{ source_name or prefix ~ 'source_name' }} as source_name,
    {{ prefix }}source_record_id,
    {{ source_channel or prefix ~ 'source_channel' }} as source_channel,
    '{{ check.quality_dimension }}' as quality_dimension,
    '{{ check.defect_type }}' as defect_type,
    '{{ check.field }}' as field,
    {{ is_defective }} as is_defective,
    {{ raw_value }} as raw_value,
    '{{ check.rule }}' as rule
{%- endmacro %}
