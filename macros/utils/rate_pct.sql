{#-
    A percentage from a stored numerator and denominator, rounded to 4 places: null (not an
    error) when nothing was counted. Double, because a ratio has no upper bound (5,000 CRM rows
    against one billing row is -499,900 %) and a fixed decimal would overflow and stop the build.
-#}
{% macro rate_pct(numerator, denominator) %}
    case
        when coalesce({{ denominator }}, 0) = 0 then null
        else cast(round(100.0 * ({{ numerator }}) / ({{ denominator }}), 4) as {{ type_double() }})
    end
{% endmacro %}
