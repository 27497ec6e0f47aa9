{#-
    A condition true for the records of sources that collect the field a check judges
    (stg_sources__fields): a field a source never collects is not a completeness defect there,
    nor checked at all. The last touch is collected where either timestamp is.
-#}
{% macro field_is_collected(check) %}
    {%- if check.field == 'record' -%}
        true
    {%- else -%}
        {%- set fields = ['created_at', 'updated_at'] if check.field == 'last_touched_at' else [check.field] -%}
        source_name in (
            select collected.source_name from {{ ref('stg_sources__fields') }} as collected
            where
                collected.source_system = '{{ check.source_system }}'
                and collected.is_collected
                and collected.field in ('{{ fields | join("', '") }}')
        )
    {%- endif -%}
{% endmacro %}
