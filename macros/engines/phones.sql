{#- Regular expressions for phone standardization (macros/standardize/phones.sql).
    Patterns are SQL-literal-ready text; libphonenumber's patterns mean the same in RE2 (DuckDB) and
    PostgreSQL ARE on digit strings (crm_quality/standardize/phone_metadata.py checks their syntax).
    DuckDB needs constant patterns: a pattern read from a column is compiled again on every row. -#}

{#- The whole of `expression` matches `pattern`. -#}
{% macro phone_regexp_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('phone_regexp_full_match', 'crm_quality')(expression, pattern)) }}
{% endmacro %}

{% macro default__phone_regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__phone_regexp_full_match(expression, pattern) -%}
    ({{ expression }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{#- `pattern` matches somewhere in `expression` (anchor it with ^ or $ as needed). -#}
{% macro phone_regexp_search(expression, pattern, case_insensitive=false) %}
    {{ return(adapter.dispatch('phone_regexp_search', 'crm_quality')(expression, pattern, case_insensitive)) }}
{% endmacro %}

{% macro default__phone_regexp_search(expression, pattern, case_insensitive) -%}
    regexp_matches({{ expression }}, '{{ pattern }}'{{ ", 'i'" if case_insensitive }})
{%- endmacro %}

{% macro postgres__phone_regexp_search(expression, pattern, case_insensitive) -%}
    ({{ expression }} {{ '~*' if case_insensitive else '~' }} '{{ pattern }}')
{%- endmacro %}

{#- Text of capture group `group` (0: the whole match) of the leftmost match; '' when there is no
    match or the group took no part. -#}
{% macro phone_regexp_extract(expression, pattern, group=0, case_insensitive=false) %}
    {{ return(adapter.dispatch('phone_regexp_extract', 'crm_quality')(expression, pattern, group, case_insensitive)) }}
{% endmacro %}

{% macro default__phone_regexp_extract(expression, pattern, group, case_insensitive) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}{{ ", 'i'" if case_insensitive }})
{%- endmacro %}

{% macro postgres__phone_regexp_extract(expression, pattern, group, case_insensitive) -%}
    coalesce((regexp_match({{ expression }}, '({{ pattern }})'{{ ", 'i'" if case_insensitive }}))[{{ group + 1 }}], '')
{%- endmacro %}

{#- Replace the leftmost match (every match when `all`); \1…\9 in `replacement` are groups. -#}
{% macro phone_regexp_replace(expression, pattern, replacement, all=false, case_insensitive=false) %}
    {{ return(adapter.dispatch('phone_regexp_replace', 'crm_quality')(expression, pattern, replacement, all, case_insensitive)) }}
{% endmacro %}

{% macro default__phone_regexp_replace(expression, pattern, replacement, all, case_insensitive) -%}
    {%- set flags = ('g' if all else '') ~ ('i' if case_insensitive else '') -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}'{{ ", '" ~ flags ~ "'" if flags }})
{%- endmacro %}

{#- One character of a pattern by its code point (4 hex digits): RE2 and ARE spell escapes apart. -#}
{% macro phone_regexp_char(hex) %}
    {{ return(adapter.dispatch('phone_regexp_char', 'crm_quality')(hex)) }}
{% endmacro %}

{% macro default__phone_regexp_char(hex) -%}
    \x{ {{- hex -}} }
{%- endmacro %}

{% macro postgres__phone_regexp_char(hex) -%}
    \u{{ hex }}
{%- endmacro %}

{#- Keeps a CTE from being inlined into its readers: the metadata cases are large, and an engine
    that substitutes them into every reference plans for minutes. -#}
{% macro phone_materialized() %}
    {{ return(adapter.dispatch('phone_materialized', 'crm_quality')()) }}
{% endmacro %}

{% macro default__phone_materialized() -%}
    materialized
{%- endmacro %}
