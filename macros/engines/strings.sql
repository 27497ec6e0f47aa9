{#- Splitting text into ordered rows; re-aggregate with list_agg(…, position). -#}

{#- FROM-clause item: the parts of `expression` between `delimiter`s (a plain string), as
    alias(part, position). -#}
{% macro split_to_rows(expression, delimiter, alias) %}
    {{ return(adapter.dispatch('split_to_rows', 'crm_quality')(expression, delimiter, alias)) }}
{% endmacro %}

{% macro default__split_to_rows(expression, delimiter, alias) %}
    unnest(string_split({{ expression }}, '{{ delimiter }}')) with ordinality as {{ alias }} (part, position)
{% endmacro %}

{% macro postgres__split_to_rows(expression, delimiter, alias) %}
    unnest(string_to_array({{ expression }}, '{{ delimiter }}')) with ordinality as {{ alias }} (part, position)
{% endmacro %}

{#- FROM-clause item: every match of `pattern` in `expression`, left to right, as
    alias(part, position). -#}
{% macro regex_matches_to_rows(expression, pattern, alias) %}
    {{ return(adapter.dispatch('regex_matches_to_rows', 'crm_quality')(expression, pattern, alias)) }}
{% endmacro %}

{% macro default__regex_matches_to_rows(expression, pattern, alias) %}
    unnest(regexp_extract_all({{ expression }}, '{{ pattern }}')) with ordinality as {{ alias }} (part, position)
{% endmacro %}

{% macro postgres__regex_matches_to_rows(expression, pattern, alias) %}
    (
        select
            found.groups[1] as part,
            found.position
        from regexp_matches({{ expression }}, '({{ pattern }})', 'g') with ordinality as found (groups, position)
    ) as {{ alias }}
{% endmacro %}
