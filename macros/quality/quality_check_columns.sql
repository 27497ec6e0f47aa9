{#-
    The outcome column of one catalog check, in its check model and in int_quality_check_outcomes:
    null where the check does not apply to the record, else whether the record fails it. Beside
    it, <column>__raw_value holds the value judged, on a failing record only.
-#}
{% macro quality_check_column(check) %}
    {{- return(check.source_system ~ '__' ~ check.quality_dimension ~ '__' ~ check.defect_type ~ '__' ~ check.field) -}}
{% endmacro %}

{#- A check that cannot decide (a null condition) finds no defect. -#}
{% macro quality_check_outcome(check) %}
    case
        when
            source_system = '{{ check.source_system }}'
            and {{ field_is_collected(check) }}
            {%- if check.applies_when != 'true' %}
            and ({{ check.applies_when }})
            {%- endif %}
            then coalesce({{ check.is_defective }}, false)
    end
{%- endmacro %}
