{#- Splitting text into ordered rows; re-aggregate with list_agg(…, position). -#}

{#- A select of (id_columns…, part, position) over `relation` (a name or a parenthesized
    select): its column `text_column` split into
    characters (kind 'characters'), at a plain-string delimiter ('delimiter') or into the
    matches of a regex ('matches'). Only the id columns travel with the parts: DuckDB copies
    the whole row of a lateral join into each part, so a 120,000-character name split beside
    its text ran out of memory. -#}
{% macro split_rows(relation, id_columns, text_column, kind, argument=none) %}
    {{ return(adapter.dispatch('split_rows', 'crm_quality')(relation, id_columns, text_column, kind, argument)) }}
{% endmacro %}

{% macro default__split_rows(relation, id_columns, text_column, kind, argument) %}
    {%- set parts = {
        'characters': "string_split(" ~ text_column ~ ", '')",
        'delimiter': "string_split(" ~ text_column ~ ", '" ~ argument ~ "')",
        'matches': "regexp_extract_all(" ~ text_column ~ ", '" ~ argument ~ "')",
    }[kind] -%}
    select
        {{ id_columns | join(', ') }},
        unnest({{ parts }}) as part,
        generate_subscripts({{ parts }}, 1) as position
    from {{ relation }} as texts
{% endmacro %}

{% macro postgres__split_rows(relation, id_columns, text_column, kind, argument) %}
    select
        {%- for column in id_columns %}
        texts.{{ column }},
        {%- endfor %}
        parts.part,
        parts.position
    from {{ relation }} as texts
    {%- if kind == 'characters' %}
    cross join lateral regexp_split_to_table(texts.{{ text_column }}, '') with ordinality as parts (part, position)
    {%- elif kind == 'delimiter' %}
    cross join lateral unnest(string_to_array(texts.{{ text_column }}, '{{ argument }}'))
        with ordinality as parts (part, position)
    {%- else %}
    cross join lateral (
        select
            found.groups[1] as part,
            found.position
        from regexp_matches(texts.{{ text_column }}, '({{ argument }})', 'g') with ordinality as found (groups, position)
    ) as parts
    {%- endif %}
{% endmacro %}
