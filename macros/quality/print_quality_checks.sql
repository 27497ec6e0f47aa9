{#- Prints the check catalog as JSON, for the docs generator: dbt --quiet run-operation print_quality_checks -#}
{% macro print_quality_checks() %}
    {% do print(tojson(quality_checks())) %}
{% endmacro %}
