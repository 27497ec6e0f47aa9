{#-
    The checks in long form, one row per record and check applied (or failed, with
    defective_only): read from the check models, each once. A complete select; the issue list
    takes the failed ones, int_quality_checks all of them.
-#}
{% macro quality_check_rows(defective_only=false) %}
    with
    {% for relation, model in quality_check_models().items() %}
    {%- set columns = [] %}
    {%- for check in quality_checks_where(relation=relation) %}
        {%- do columns.append(quality_check_column(check)) %}
    {%- endfor %}
    {{ relation }} as (

        select * from {{ ref(model) }}
        {%- if defective_only %}
        where {{ columns | join(' or ') }}
        {%- endif %}

    ),
    {% endfor %}
    checks as (

        {%- for check in quality_checks() %}
        {%- set column = quality_check_column(check) %}
        select
            record_key,
            source_system,
            source_name,
            source_record_id,
            source_channel,
            '{{ check.quality_dimension }}' as quality_dimension,
            '{{ check.defect_type }}' as defect_type,
            '{{ check.field }}' as field,
            {{ column }} as is_defective,
            {{ column }}__raw_value as raw_value
        from {{ check.relation }}
        where {{ column }}{{ '' if defective_only else ' is not null' }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}

    )

    select * from checks
{%- endmacro %}
