{#-
    The check catalog as rows: each check's source system, labels and rule in words, for the
    models that name the rule beside a check's outcome.
-#}
{% macro quality_check_rules() %}
    {%- for check in quality_checks() %}
    select
        '{{ check.source_system }}' as source_system,
        '{{ check.quality_dimension }}' as quality_dimension,
        '{{ check.defect_type }}' as defect_type,
        '{{ check.field }}' as field,
        '{{ check.rule }}' as rule
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
