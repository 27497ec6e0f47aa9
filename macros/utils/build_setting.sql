{#- One setting of this build as a scalar subquery on build_settings, cast to `type`: the SQL
    models read their settings where the Python models do. as_of_date is today when unset. -#}
{% macro build_setting(name, type) %}
    {%- if name == 'as_of_date' -%}
        (select coalesce(cast(nullif(as_of_date, '') as date), current_date) from {{ ref('build_settings') }})
    {%- else -%}
        (select cast({{ name }} as {{ type }}) from {{ ref('build_settings') }})
    {%- endif -%}
{% endmacro %}
