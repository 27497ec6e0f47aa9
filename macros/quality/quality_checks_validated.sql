{#-
    The catalog as given, after refusing (a compile error) an entry without its SQL or labels,
    or two entries for the same source system, dimension, defect type and field: a check with
    no condition would count nothing and still appear in mart_defect_rate.
-#}
{% macro quality_checks_validated(checks) %}
    {% set required = [
        'source_system', 'quality_dimension', 'defect_type', 'field', 'column', 'rule',
        'relation', 'applies_when', 'is_defective', 'raw_value',
    ] %}
    {% set seen = [] %}
    {% for check in checks %}
        {% set key = [check.source_system, check.quality_dimension, check.defect_type, check.field] | join('/') %}
        {% for name in required %}
            {% set value = check.get(name) %}
            {% if value is none or value is undefined or not (value | string | trim) %}
                {{ exceptions.raise_compiler_error('quality check ' ~ key ~ ' has no ' ~ name) }}
            {% endif %}
        {% endfor %}
        {% if key in seen %}
            {{ exceptions.raise_compiler_error('quality check ' ~ key ~ ' is in the catalog twice') }}
        {% endif %}
        {% do seen.append(key) %}
    {% endfor %}
    {{ return(checks) }}
{% endmacro %}
