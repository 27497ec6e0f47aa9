{#- SQL twins of crm_quality/standardize/text.py. Relation macros return a select over the
    distinct values of one column, for a model to join back on the raw value. -#}

{#- Characters clean_text deletes: C0/C1 controls that are not whitespace, and the
    invisible format characters copy-paste leaves behind (soft hyphen, zero-width space,
    word joiner, byte-order mark). -#}
{% macro deleted_characters() %}
    {{ return([(1, 8), (14, 27), (127, 132), (134, 159), (173, 173), (8203, 8203), (8288, 8288), (65279, 65279)]) }}
{% endmacro %}

{#- Python's str.split() whitespace: ASCII and C1 spaces, no-break, Ogham, the
    U+2000 spaces, line and paragraph separators, narrow and ideographic spaces. -#}
{% macro whitespace_characters() %}
    {{ return([(9, 13), (28, 32), (133, 133), (160, 160), (5760, 5760), (8192, 8202), (8232, 8233), (8239, 8239), (8287, 8287), (12288, 12288)]) }}
{% endmacro %}

{#- clean_text of crm_quality/standardize/text.py without its placeholder test: invisible
    characters dropped, NFC, every run of Python whitespace one space, trimmed; null when
    nothing is left. drop_placeholder adds the placeholder test. -#}
{% macro clean_text_expression(expression) %}
    nullif(trim(regexp_replace(
        {{ crm_quality.nfc("regexp_replace(" ~ expression ~ ", '" ~ crm_quality.unicode_class(crm_quality.deleted_characters()) ~ "', '', 'g')") }},
        '{{ crm_quality.unicode_class(crm_quality.whitespace_characters()) }}+', ' ', 'g'
    )), '')
{% endmacro %}

{#- Python's casefold() where it matters for placeholders (they are ASCII): the
    characters whose case folding is ASCII but whose lower case is not, and 'İ', whose
    folding keeps a combining dot and so matches no placeholder. -#}
{% macro placeholder_fold(expression) %}
    {%- set folded = "lower(replace(" ~ expression ~ ", 'İ', 'i' || chr(775)))" -%}
    {%- for letter, folding in [('ß', 'ss'), ('ſ', 's'), ('ﬀ', 'ff'), ('ﬁ', 'fi'), ('ﬂ', 'fl'), ('ﬃ', 'ffi'), ('ﬄ', 'ffl'), ('ﬅ', 'st'), ('ﬆ', 'st')] -%}
        {%- set folded = "replace(" ~ folded ~ ", '" ~ letter ~ "', '" ~ folding ~ "')" -%}
    {%- endfor -%}
    {{ folded }}
{% endmacro %}

{#- The placeholders of one field type (seeds/placeholder_values.csv: its own rows and the
    'any' rows), trimmed and lower-cased (they are ASCII, so casefold() is lower()), as a
    query with the column `placeholder`; `placeholders` replaces the seed (tests). -#}
{% macro placeholder_rows_of(field_type, placeholders=none) -%}
    select distinct lower(trim(value)) as placeholder
    from {{ placeholders if placeholders is not none else ref('placeholder_values') }}
    where value is not null and lower(trim(field_type)) in ('any', '{{ field_type }}')
{%- endmacro %}

{#- clean_text_expression() text judged for placeholders: null when a placeholder of
    field_type. -#}
{% macro drop_placeholder(cleaned, field_type, placeholders=none) %}
    case
        when {{ crm_quality.placeholder_fold(cleaned) }}
            not in ({{ crm_quality.placeholder_rows_of(field_type, placeholders) }})
            then {{ cleaned }}
    end
{% endmacro %}

{#- Distinct non-null values of relation.column with clean_text() of each:
    (raw_value, cleaned); cleaned is null for blanks and placeholders of field_type. -#}
{% macro clean_text_values(relation, column, field_type) %}
    select
        distinct_values.raw_value,
        {{ crm_quality.drop_placeholder(crm_quality.clean_text_expression('distinct_values.raw_value'), field_type) }} as cleaned
    from (
        select distinct cast({{ column }} as varchar) as raw_value
        from {{ relation }}
        where {{ column }} is not null
    ) as distinct_values
{% endmacro %}

{#- NFKC of relation.text_column, per key_column: (key_column, nfkc_text). ASCII text is its
    own NFKC; other text is mapped character by character through the unicode_characters
    seed and recomposed, which equals NFKC of the whole text. -#}
{% macro nfkc_values(relation, key_column, text_column) %}
    select
        {{ key_column }},
        {{ text_column }} as nfkc_text
    from {{ relation }}
    where {{ crm_quality.is_ascii(text_column) }}
    union all
    select
        keyed.{{ key_column }},
        per_text.nfkc_text
    from {{ relation }} as keyed
    inner join (
        {{ crm_quality.non_ascii_character_aggregates(relation, text_column, {
            'nfkc_text': crm_quality.nfc(crm_quality.list_agg(
                "coalesce(folds.nfkc_form, characters.part)", "characters.position", ""))
        }) }}
    ) as per_text
        on keyed.{{ text_column }} = per_text.{{ text_column }}
{% endmacro %}

{#- Per distinct text of relation.text_column that is not ASCII: (text_column, one column per
    entry of `aggregates`), each an aggregate over the text's characters (characters.part,
    characters.position) beside their row of the unicode_characters seed (folds, or nulls).
    The texts are numbered and split by number, never beside the text itself. -#}
{% macro non_ascii_character_aggregates(relation, text_column, aggregates) %}
    {%- set numbered -%}
    (
        select
            {{ text_column }},
            row_number() over (order by {{ text_column }}) as text_number
        from (
            select distinct {{ text_column }}
            from {{ relation }}
            where not {{ crm_quality.is_ascii(text_column) }}
        ) as distinct_texts
    )
    {%- endset -%}
    select
        numbered_texts.{{ text_column }},
        {%- for name in aggregates %}
        per_number.{{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ numbered }} as numbered_texts
    inner join (
        select
            characters.text_number,
            {%- for name, aggregate in aggregates.items() %}
            {{ aggregate }} as {{ name }}{{ ',' if not loop.last }}
            {%- endfor %}
        from ({{ crm_quality.split_rows(numbered, ['text_number'], text_column, 'characters') }}) as characters
        left join {{ ref('unicode_characters') }} as folds
            on {{ crm_quality.code_point('characters.part') }} = folds.code_point
        group by characters.text_number
    ) as per_number
        on numbered_texts.text_number = per_number.text_number
{% endmacro %}
