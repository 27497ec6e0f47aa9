{#- The string-similarity calls of a model's comparison levels computed once per distinct pair of
    values instead of once per candidate pair: [{function, left, right, relation}], each a
    function called on two plain columns. Candidate pairs meet the same values again and again
    (pairs blocked on a surname compare the same few first names): at 200,000 people the 1.4
    million candidate pairs held about 40,000 distinct pairs of names per call. Which functions
    are worth it is the engine's (matching_memoized_functions). -#}
{% macro matching_similarity_calls(comparisons) %}
    {%- set re = modules.re -%}
    {%- set functions = matching_memoized_functions() -%}
    {%- set calls = [] -%}
    {%- set keys = [] -%}
    {%- if functions -%}
        {%- set pattern = '\\b(' ~ functions | join('|') ~ ')\\s*\\(\\s*"?(\\w+)"?\\s*,\\s*"?(\\w+)"?\\s*\\)' -%}
        {%- for comparison in comparisons -%}
            {%- for level in comparison['comparison_levels'] -%}
                {%- for found in re.finditer(pattern, level['sql_condition'], re.I) -%}
                    {%- set key = (found.group(1) | lower, found.group(2), found.group(3)) -%}
                    {%- if key not in keys -%}
                        {%- do keys.append(key) -%}
                        {%- do calls.append({
                            'function': key[0], 'left': key[1], 'right': key[2],
                            'relation': 'similarity_' ~ keys | length,
                        }) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(calls) }}
{% endmacro %}

{#- `condition` (a level's SQL, DuckDB dialect) reading each of `calls` from its relation. -#}
{% macro matching_condition_with_similarities(condition, calls) %}
    {%- set re = modules.re -%}
    {%- set rewritten = namespace(sql=condition) -%}
    {%- for call in calls -%}
        {%- set pattern = '\\b' ~ call.function ~ '\\s*\\(\\s*"?' ~ call.left ~ '"?\\s*,\\s*"?' ~ call.right ~ '"?\\s*\\)' -%}
        {%- set rewritten.sql = re.sub(pattern, call.relation ~ '.similarity', rewritten.sql, flags=re.I) -%}
    {%- endfor -%}
    {{ return(rewritten.sql) }}
{% endmacro %}

{#- The functions worth computing once per distinct pair of values. PostgreSQL's Jaro-Winkler is
    PL/pgSQL, 13 µs a call: 6.9 million calls took 89 of scoring's 119 s at 200,000 people, and
    383,000 calls 8.5 s. DuckDB's are native: at a million records, scoring with the joins took
    91-100 CPU s against 44-49 inline (the candidate pairs, not materialized there, are made again
    for each call's distinct values). -#}
{% macro matching_memoized_functions() %}
    {{ return(adapter.dispatch('matching_memoized_functions', 'crm_quality')()) }}
{% endmacro %}

{% macro default__matching_memoized_functions() %}
    {{ return([]) }}
{% endmacro %}

{% macro postgres__matching_memoized_functions() %}
    {{ return(['jaro_winkler_similarity']) }}
{% endmacro %}
