{#-
    What int_quality_check_counts counts, as SQL conditions over int_quality_check_outcomes: per
    catalog check, the records it checked and found defective; per source system and dimension
    (and 'all' dimensions), defect_type 'any' on field 'record': the records some check of it
    checked, and those failing at least one.
-#}
{% macro quality_check_counts() %}
    {%- set checks = quality_checks() %}
    {%- set counts = [] %}
    {%- for check in checks %}
        {%- set column = quality_check_column(check) %}
        {%- do counts.append({
            'source_system': check.source_system, 'quality_dimension': check.quality_dimension,
            'defect_type': check.defect_type, 'field': check.field,
            'checked': column ~ ' is not null', 'defective': column,
        }) %}
    {%- endfor %}
    {%- set dimensions = checks | map(attribute='quality_dimension') | unique | list %}
    {%- for source_system in checks | map(attribute='source_system') | unique %}
        {%- for dimension in ['all'] + dimensions %}
            {%- set columns = [] %}
            {%- for check in checks
                if check.source_system == source_system
                and dimension in ('all', check.quality_dimension) %}
                {%- do columns.append(quality_check_column(check)) %}
            {%- endfor %}
            {%- if columns %}
                {%- do counts.append({
                    'source_system': source_system, 'quality_dimension': dimension,
                    'defect_type': 'any', 'field': 'record',
                    'checked': 'coalesce(' ~ columns | join(', ') ~ ') is not null',
                    'defective': columns | join(' or '),
                }) %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {{ return(counts) }}
{% endmacro %}
