{#- A percentage from a stored numerator and denominator: null (not an error) when nothing was counted. -#}
{% macro rate_pct(numerator, denominator) %}
    case
        when coalesce({{ denominator }}, 0) = 0 then null
        else round(100.0 * ({{ numerator }}) / ({{ denominator }}), 4)
    end
{% endmacro %}
