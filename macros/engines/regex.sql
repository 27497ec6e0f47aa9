{#-
    Regular expressions and Unicode text, spelled per engine. DuckDB uses RE2, PostgreSQL its
    own ARE engine: both take anchored patterns, bracket classes and (?:...) groups alike, but
    not the same Unicode classes, capture functions or normalization. Patterns passed here
    avoid \d, \s and \w (their reach differs between engines and from Python's).
-#}

{#- True when `pattern` matches in the text; anchor it (^...$) for a whole-text match. -#}
{% macro regex_matches(expression, pattern) %}
    {{ return(adapter.dispatch('regex_matches', 'crm_quality')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- Every match of `pattern` replaced (backreferences as \1). -#}
{% macro regex_replace_all(expression, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_all', 'crm_quality')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#-
    All capture groups of one match at once (one regex run per value, not one per group):
    DuckDB gives a struct named by `names`, PostgreSQL a text array. Read a group with
    regex_captured; a group that took no part in the match reads as null on both.
-#}
{% macro regex_captures(expression, pattern, names) %}
    {{ return(adapter.dispatch('regex_captures', 'crm_quality')(expression, pattern, names)) }}
{% endmacro %}

{% macro default__regex_captures(expression, pattern, names) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', [{% for name in names %}'{{ name }}'{{ ", " if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro postgres__regex_captures(expression, pattern, names) -%}
    regexp_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro regex_captured(captures, names, name) %}
    {{ return(adapter.dispatch('regex_captured', 'crm_quality')(captures, names, name)) }}
{% endmacro %}

{% macro default__regex_captured(captures, names, name) -%}
    {#- RE2 yields '' for a group that did not take part; every group here captures text. -#}
    nullif(struct_extract({{ captures }}, '{{ name }}'), '')
{%- endmacro %}

{% macro postgres__regex_captured(captures, names, name) -%}
    ({{ captures }})[{{ names.index(name) + 1 }}]
{%- endmacro %}
