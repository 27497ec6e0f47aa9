{#- SQL twins of crm_quality/standardize/names.py: display casing and match keys. The word
    lists are those of names.py (a test keeps them equal). -#}

{% macro name_particles() %}
    {{ return(['af', 'av', 'bin', 'da', 'das', 'de', 'degli', 'dei', 'del', 'della', 'den', 'der', 'des', 'di', 'do', 'dos', 'du', 'ibn', 'la', 'le', 'ten', 'ter', 'van', 'vom', 'von', 'y', 'zu', 'zum', 'zur']) }}
{% endmacro %}

{% macro place_connectors() %}
    {{ return(crm_quality.name_particles() + ['am', 'an', 'and', 'im', 'in', 'lès', 'les', 'of', 'on', 'sous', 'sur', 'upon', 'en']) }}
{% endmacro %}

{% macro roman_numerals() %}
    {{ return(['ii', 'iii', 'iv', 'vi', 'vii', 'viii', 'ix']) }}
{% endmacro %}

{% macro mac_names() %}
    {{ return(['macarthur', 'macaulay', 'macdonald', 'macdougall', 'macgregor', 'macintosh', 'mackay', 'mackenzie', 'mackinnon', 'maclean', 'macleod', 'macmillan', 'macneil', 'macpherson']) }}
{% endmacro %}

{#- Lower-case Latin letters Python counts as lower case but that have no one-letter upper
    case (so upper() leaves them, or DuckDB maps 'ß' to 'ẞ'). -#}
{% macro lowercase_only_letters() %}
    {{ return(['ª', 'º', 'ß', 'ĸ', 'ŉ', 'ƍ', 'ƛ', 'ƪ', 'ƫ', 'ƺ', 'ƾ', 'ǰ', 'ȡ', 'ȴ', 'ȵ', 'ȶ', 'ȷ', 'ȸ', 'ȹ', 'ẖ', 'ẗ', 'ẘ', 'ẙ', 'ẚ', 'ẜ', 'ẝ', 'ẟ', 'ⱱ', 'ⱴ', 'ⱷ', 'ⱸ', 'ⱹ', 'ⱺ', 'ⱻ', 'ⱼ', 'ⱽ']) }}
{% endmacro %}

{#- Python's title case of a lower-case letter where it is not upper(): digraphs and the
    letters whose capital is two characters. -#}
{% macro title_letter(expression) %}
    case {{ expression }}
        when 'ǆ' then 'ǅ'
        when 'ǉ' then 'ǈ'
        when 'ǌ' then 'ǋ'
        when 'ǳ' then 'ǲ'
        when 'ß' then 'Ss'
        when 'ŉ' then 'ʼN'
        when 'ǰ' then 'J' || chr(780)
        when 'ẖ' then 'H' || chr(817)
        when 'ẗ' then 'T' || chr(776)
        when 'ẘ' then 'W' || chr(778)
        when 'ẙ' then 'Y' || chr(778)
        when 'ẚ' then 'A' || chr(702)
        else upper({{ expression }})
    end
{% endmacro %}

{% macro sql_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}{%- do quoted.append("'" ~ value ~ "'") -%}{%- endfor -%}
    ({{ quoted | join(', ') }})
{% endmacro %}

{#- names.py _lost_case of a Latin-script word: all upper case or all lower case (Python's
    isupper/islower: some cased letter, and none of the other case or title case). -#}
{% macro has_lost_case(word) %}
    (
        (lower({{ word }}) != {{ word }})
        != (
            upper({{ word }}) != {{ word }}
            or translate({{ word }}, '{{ crm_quality.lowercase_only_letters() | join('') }}', '') != {{ word }}
        )
    )
{% endmacro %}

{#- names.py _lower: 'İ' lowers to a plain 'i' (the engines do that already; a written
    'i' + combining dot is merged the same way). -#}
{% macro name_lower(expression) %}replace(lower({{ expression }}), 'i' || chr(775), 'i'){% endmacro %}

{#- names.py _capitalize of a lower-cased piece. -#}
{% macro capitalize_piece(piece) %}
    case
        when {{ piece }} like 'mc%' and length({{ piece }}) > 3
            then 'Mc' || {{ crm_quality.title_letter('substring(' ~ piece ~ ', 3, 1)') }} || substring({{ piece }}, 4)
        when {{ piece }} in {{ crm_quality.sql_list(crm_quality.mac_names()) }}
            then 'Mac' || {{ crm_quality.title_letter('substring(' ~ piece ~ ', 4, 1)') }} || substring({{ piece }}, 5)
        when {{ piece }} like 'ij%' then 'IJ' || substring({{ piece }}, 3)
        when {{ piece }} in {{ crm_quality.sql_list(crm_quality.roman_numerals()) }} then upper({{ piece }})
        else {{ crm_quality.title_letter('substring(' ~ piece ~ ', 1, 1)') }} || substring({{ piece }}, 2)
    end
{% endmacro %}

{#- Clean, NFKC, clean again (names.py _prepare): (raw_value, prepared) per distinct value. -#}
{% macro prepared_values(relation, column, field_type) %}
    with cleaned as (
        {{ crm_quality.clean_text_values(relation, column, field_type) }}
    ),

    folded as (
        {{ crm_quality.nfkc_values('cleaned', 'raw_value', 'cleaned') }}
    )

    select
        cleaned.raw_value,
        {{ crm_quality.drop_placeholder(crm_quality.clean_text_expression('folded.nfkc_text'), field_type) }} as prepared
    from cleaned
    left join folded on cleaned.raw_value = folded.raw_value
{% endmacro %}

{#- Per prepared text: is it Latin script, every letter in Basic Latin to Latin Extended-B,
    Latin Extended Additional or Latin Extended-C (names.py is_latin_script)? ASCII text is. -#}
{% macro latin_script_values(relation) %}
    select
        prepared,
        true as is_latin
    from {{ relation }}
    where {{ crm_quality.is_ascii('prepared') }}
    union all
    {{ crm_quality.non_ascii_character_aggregates(relation, 'prepared', {
        'is_latin': "not coalesce(bool_or("
            ~ crm_quality.code_point('characters.part') ~ " >= 592 and "
            ~ crm_quality.code_point('characters.part') ~ " not between 7680 and 7935 and "
            ~ crm_quality.code_point('characters.part') ~ " not between 11360 and 11391 and "
            ~ "coalesce(folds.is_letter, true)), false)"
    }) }}
{% endmacro %}

{#- names.py name_key() without nicknames per text: (text_column, name_key), null when no
    letter is left. ASCII text needs no lookup. -#}
{% macro name_key_values(relation, text_column) %}
    select
        {{ text_column }},
        nullif(regexp_replace(lower({{ text_column }}), '[^a-z]', '', 'g'), '') as name_key
    from {{ relation }}
    where {{ crm_quality.is_ascii(text_column) }}
    union all
    {{ crm_quality.non_ascii_character_aggregates(relation, text_column, {
        'name_key': "nullif(" ~ crm_quality.nfc(crm_quality.list_agg(
            "case when folds.code_point is null then characters.part else coalesce(folds.name_key_form, '') end",
            "characters.position", ""
        )) ~ ", '')"
    }) }}
{% endmacro %}

{#- Display casing of Latin-script text (names.py _recase) per text: (text_value, cased).
    Only words written all upper or all lower case are recased; lower_words stay lower
    inside the text (and between hyphens); with first_word_lower the first word may be one.
    Words are split on spaces, then into pieces ending at a hyphen or apostrophe. -#}
{% macro recased_values(relation, text_column, lower_words, first_word_lower) %}
    {%- set piece_pattern = "[^-''’]+[-''’]?|[-''’]" -%}
    {%- set numbered -%}
    (
        select
            {{ text_column }},
            row_number() over (order by {{ text_column }}) as text_number
        from (select distinct {{ text_column }} from {{ relation }}) as distinct_texts
    )
    {%- endset %}
    with words as (
        {#- Split by number (split_rows): a text beside each of its words was copied per word. -#}
        select
            text_number,
            position as word_position,
            part as word,
            {{ crm_quality.name_lower('part') }} as lowered,
            count(*) over (partition by text_number) as word_count,
            {{ crm_quality.has_lost_case('part') }} as has_lost_case
        from ({{ crm_quality.split_rows(numbered, ['text_number'], text_column, 'delimiter', ' ') }}) as split_words
    ),

    judged_words as (
        select
            *,
            word_position < word_count and {{ 'true' if first_word_lower else 'word_position > 1' }} as is_inner
        from words
    ),

    pieces as (
        select
            text_number,
            word_position,
            position as piece_position,
            case
                when right(part, 1) in ('-', '''', '’') then left(part, length(part) - 1)
                else part
            end as piece,
            case when right(part, 1) in ('-', '''', '’') then right(part, 1) else '' end as delimiter
        from ({{ crm_quality.split_rows(
            '(select text_number, word_position, lowered from judged_words where has_lost_case)',
            ['text_number', 'word_position'], 'lowered', 'matches', piece_pattern
        ) }}) as split_pieces
    ),

    cased_pieces as (
        select
            text_number,
            word_position,
            piece_position,
            case
                -- A hyphen-joined connector stays lower: 'Aix-en-Provence'.
                when delimiter = '-'
                    and lag(delimiter) over (partition by text_number, word_position order by piece_position) = '-'
                    and piece in {{ crm_quality.sql_list(lower_words) }}
                    then piece
                else {{ crm_quality.capitalize_piece('piece') }}
            end || delimiter as cased_piece
        from pieces
    ),

    cased_words as (
        select
            text_number,
            word_position,
            {{ crm_quality.list_agg('cased_piece', 'piece_position', '') }} as cased_word
        from cased_pieces
        group by text_number, word_position
    ),

    recased as (
        select
            judged_words.text_number,
            {{ crm_quality.nfc(crm_quality.list_agg(
                "case when not judged_words.has_lost_case then judged_words.word
                    when judged_words.is_inner and judged_words.lowered in " ~ crm_quality.sql_list(lower_words) ~ "
                        then judged_words.lowered
                    else cased_words.cased_word end",
                "judged_words.word_position", " "
            )) }} as cased
        from judged_words
        left join cased_words
            on judged_words.text_number = cased_words.text_number
            and judged_words.word_position = cased_words.word_position
        group by judged_words.text_number
    )

    select
        numbered_texts.{{ text_column }} as text_value,
        recased.cased
    from {{ numbered }} as numbered_texts
    inner join recased on numbered_texts.text_number = recased.text_number
{% endmacro %}

{#- standardize_name() of the distinct values of relation.column, with name_key() and the
    status frame.py gives: (raw_value, standardized, name_key, status). With nicknames, a
    known nickname's key is its canonical name's (first names). Null raw values are not
    listed: the model gives them status 'missing'. -#}
{% macro standardized_names(relation, column, nicknames=false) %}
    {{ return(crm_quality.standardized_display_values(
        relation, column, 'name', crm_quality.name_particles(), true, with_key=true, nicknames=nicknames
    )) }}
{% endmacro %}

{#- The shared body of standardized_names and standardized_cities. -#}
{% macro standardized_display_values(
    relation, column, field_type, lower_words, first_word_lower, with_key=false, nicknames=false
) %}
    with prepared as (
        {{ crm_quality.prepared_values(relation, column, field_type) }}
    ),

    distinct_texts as (
        select distinct prepared from prepared where prepared is not null
    ),

    scripts as (
        {{ crm_quality.latin_script_values('distinct_texts') }}
    ),

    latin_texts as (
        select prepared from scripts where is_latin
    ),

    recased as (
        {{ crm_quality.recased_values('latin_texts', 'prepared', lower_words, first_word_lower) }}
    ),

    displayed as (
        select
            distinct_texts.prepared,
            coalesce(recased.cased, distinct_texts.prepared) as standardized
        from distinct_texts
        left join recased on distinct_texts.prepared = recased.text_value
    ){%- if with_key %},

    displayed_texts as (
        select distinct standardized from displayed
    ),

    keys as (
        {#- Keyed from the display form, as frame.py does: 'ışık' shows as 'Işık', key 'isık'. -#}
        {{ crm_quality.name_key_values('displayed_texts', 'standardized') }}
    )
    {%- endif %}

    select
        prepared.raw_value,
        displayed.standardized,
        {%- if with_key %}
        {%- if nicknames %}
        coalesce(nicknames.canonical_name, keys.name_key) as name_key,
        {%- else %}
        keys.name_key,
        {%- endif %}
        {%- endif %}
        case when prepared.prepared is null then 'missing' else 'valid' end as status
    from prepared
    left join displayed on prepared.prepared = displayed.prepared
    {%- if with_key %}
    left join keys on displayed.standardized = keys.standardized
    {%- if nicknames %}
    left join {{ ref('nicknames') }} as nicknames on keys.name_key = nicknames.nickname
    {%- endif %}
    {%- endif %}
{% endmacro %}
