{#- A comparison level's or blocking rule's SQL from the model document (written for DuckDB,
    as Splink saved it) in this engine's SQL. Only the functions the engines spell differently
    are rewritten; macros/engines/similarity.sql provides them where the engine lacks them. -#}
{% macro matching_sql_condition(condition) %}
    {{ return(adapter.dispatch('matching_sql_condition', 'crm_quality')(condition)) }}
{% endmacro %}

{% macro default__matching_sql_condition(condition) %}
    {{ return(condition) }}
{% endmacro %}

{% macro postgres__matching_sql_condition(condition) %}
    {%- set re = modules.re -%}
    {%- set unsupported = re.search('\\b(damerau_levenshtein|jaro_similarity|jaccard|hamming)\\s*\\(', condition, re.I) -%}
    {%- if unsupported %}
        {{ exceptions.raise_compiler_error(
            'The matching model uses ' ~ unsupported.group(1) ~ ', which has no PostgreSQL version here: ' ~ condition
        ) }}
    {%- endif -%}
    {#- epoch(x): seconds since 1970 (DuckDB); extract(epoch from x) in PostgreSQL. -#}
    {%- set condition = re.sub('\\bepoch\\s*\\(\\s*("?[a-z0-9_]+"?)\\s*\\)', 'extract(epoch from \\1)', condition, flags=re.I) -%}
    {%- set condition = re.sub('\\bjaro_winkler_similarity\\s*\\(', jaro_winkler_similarity_function() ~ '(', condition, flags=re.I) -%}
    {%- set condition = re.sub('\\blevenshtein\\s*\\(', levenshtein_function() ~ '(', condition, flags=re.I) -%}
    {{ return(condition) }}
{% endmacro %}
