{#- SQL twins of the address and country rules of crm_quality/standardize/frame.py. Each
    returns (raw_value, standardized, status) per distinct non-null value of
    relation.column; the model gives null raw values status 'missing'. -#}

{#- standardize_place(): display casing of a city ('FRANKFURT AM MAIN' → 'Frankfurt am Main'). -#}
{% macro standardized_cities(relation, column) %}
    {{ return(crm_quality.standardized_display_values(
        relation, column, 'address', crm_quality.place_connectors(), false
    )) }}
{% endmacro %}

{#- Street addresses are only cleaned. -#}
{% macro standardized_street_addresses(relation, column) %}
    with cleaned as (
        {{ crm_quality.clean_text_values(relation, column, 'address') }}
    )

    select
        raw_value,
        cleaned as standardized,
        case when cleaned is null then 'missing' else 'valid' end as status
    from cleaned
{% endmacro %}

{#- frame.py _postal_code: cleaned, NFKC (full-width digits), upper case. Python's upper()
    writes 'ß' as 'SS'; other letters with a two-character capital are left as the
    engine's upper() gives them. -#}
{% macro standardized_postal_codes(relation, column) %}
    with cleaned as (
        {{ crm_quality.clean_text_values(relation, column, 'address') }}
    ),

    folded as (
        {{ crm_quality.nfkc_values('cleaned', 'raw_value', 'cleaned') }}
    )

    select
        cleaned.raw_value,
        upper(replace(folded.nfkc_text, 'ß', 'SS')) as standardized,
        case when cleaned.cleaned is null then 'missing' else 'valid' end as status
    from cleaned
    left join folded on cleaned.raw_value = folded.raw_value
{% endmacro %}

{#- text.py normalize_key() of relation.text_column per key_column: (key_column, lookup_key).
    ASCII text takes the regex path; other text goes through the seed's lookup forms
    (where '_' stands for a word break). -#}
{% macro lookup_key_values(relation, key_column, text_column) %}
    select
        {{ key_column }},
        trim(regexp_replace(lower({{ text_column }}), '[^a-z0-9]+', ' ', 'g')) as lookup_key
    from {{ relation }}
    where {{ crm_quality.is_ascii(text_column) }}
    union all
    select
        keyed.{{ key_column }},
        per_text.lookup_key
    from {{ relation }} as keyed
    inner join (
        {{ crm_quality.non_ascii_character_aggregates(relation, text_column, {
            'lookup_key': "trim(regexp_replace(" ~ crm_quality.nfc(crm_quality.list_agg(
                "case when folds.code_point is null then characters.part
                    else replace(coalesce(folds.lookup_key_form, ''), '_', ' ') end",
                "characters.position", "")) ~ ", ' +', ' ', 'g'))"
        }) }}
    ) as per_text
        on keyed.{{ text_column }} = per_text.{{ text_column }}
{% endmacro %}

{#- frame.py _country_fields with country.py resolve_country(): the ISO alpha-2 code of a
    spelling in the country_aliases seed, a leading 'the' ignored when the full spelling
    is unknown; 'invalid' when no alias matches. -#}
{% macro standardized_countries(relation, column) %}
    with cleaned as (
        {{ crm_quality.clean_text_values(relation, column, 'country') }}
    ),

    keyed as (
        {{ crm_quality.lookup_key_values('cleaned', 'raw_value', 'cleaned') }}
    ),

    resolved as (
        select
            keyed.raw_value,
            coalesce(spelled.country_code, without_article.country_code) as country_code
        from keyed
        left join {{ ref('country_aliases') }} as spelled on keyed.lookup_key = spelled.alias
        left join {{ ref('country_aliases') }} as without_article
            on keyed.lookup_key like 'the %' and substring(keyed.lookup_key, 5) = without_article.alias
    )

    select
        cleaned.raw_value,
        resolved.country_code as standardized,
        case
            when cleaned.cleaned is null then 'missing'
            when resolved.country_code is null then 'invalid'
            else 'valid'
        end as status
    from cleaned
    left join resolved on cleaned.raw_value = resolved.raw_value
{% endmacro %}
