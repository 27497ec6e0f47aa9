{#- PostgreSQL's variants of the phone steps that read a region's metadata (phones.sql).

    PostgreSQL keeps only 32 compiled patterns per backend, and a case over every region would
    name ~2,000. So the patterns are columns: each step sorts its rows by metadata key, joins that
    key's patterns with an equi-join, and applies them per row, so consecutive rows share their
    few patterns and each is compiled about once per key. phone_idd_rests, the first step, also
    defines the pattern tables the later steps read. -#}

{#- PostgreSQL's translate() scans its whole 11,000-character argument for every character: the
    folds are joined per character instead. -#}
{% macro postgres__phone_nfkc_folded_texts(source, md) %}
phone_nfkc_folds as {{ phone_materialized() }} (
    select
        chr(cast(code_point as integer)) as original_character,
        chr(cast(folded_code_point as integer)) as folded_character
    from {{ ref('phone_character_folds') }}
    where fold_step = 'nfkc'
),

phone_nfkc_characters as {{ phone_materialized() }} (
    select
        {{ source }}.phone_id,
        text_characters.text_character,
        text_characters.character_position
    from {{ source }}
    cross join lateral unnest(string_to_array({{ source }}.phone_text, null))
        with ordinality as text_characters (text_character, character_position)
    where {{ source }}.phone_text ~ '[^ -~]'
),

phone_nfkc_folded as {{ phone_materialized() }} (
    {#- A character folded to none is dropped (string_agg skips nulls), as translate() does. -#}
    select
        phone_nfkc_characters.phone_id,
        coalesce(string_agg(
            case
                when phone_nfkc_folds.original_character is null then phone_nfkc_characters.text_character
                else phone_nfkc_folds.folded_character
            end,
            '' order by phone_nfkc_characters.character_position
        ), '') as folded_text
    from phone_nfkc_characters
    left join phone_nfkc_folds
        on phone_nfkc_characters.text_character = phone_nfkc_folds.original_character
    group by phone_nfkc_characters.phone_id
)
{%- endmacro %}

{% macro postgres__phone_idd_rests(source, md) %}
phone_region_patterns as {{ phone_materialized() }} (
    {#- A region's (or non-geographic code's) patterns, anchored and ready to apply. -#}
    select
        case when region = '001' then '+' || calling_code else region end as metadata_key,
        calling_code as metadata_calling_code,
        cast(region_rank as integer) as metadata_rank,
        '(^(?:' || international_prefix || '))' as idd_capture,
        '^(?:' || national_prefix_for_parsing || ')' as npp_prefix,
        '(^(?:' || national_prefix_for_parsing || '))' as npp_capture,
        national_prefix_transform_rule as npp_rule,
        {#- The prefix's capturing groups: the last one says whether the transform rule applies. -#}
        (length(national_prefix_for_parsing) - length(replace(national_prefix_for_parsing, '(', '')))
        - (length(national_prefix_for_parsing) - length(replace(national_prefix_for_parsing, '(?', ''))) / 2
            as npp_groups,
        '^(?:' || leading_digits || ')' as leading_digits_pattern,
        '^(?:' || general_pattern || ')$' as general_pattern,
        cast(string_to_array(possible_lengths, ' ') as integer[]) as lengths,
        (
            select max(cast(length_text as integer))
            from unnest(string_to_array(possible_lengths, ' ')) as length_text
        ) as max_length,
        cast(coalesce(string_to_array(possible_lengths_local_only, ' '), '{}') as integer[]) as local_lengths,
        same_mobile_and_fixed_line_pattern = 'true' as is_same_mobile
    from {{ ref('phone_regions') }}
),

phone_type_patterns as {{ phone_materialized() }} (
    select
        case when region = '001' then '+' || calling_code else region end as metadata_key,
        number_type,
        '^(?:' || national_number_pattern || ')$' as type_pattern,
        cast(string_to_array(possible_lengths, ' ') as integer[]) as type_lengths
    from {{ ref('phone_number_types') }}
),

phone_idd_inputs as {{ phone_materialized() }} (
    select
        phone_id,
        region,
        digits
    from {{ source }}
    where region is not null
    order by region
),

phone_idd_matches as {{ phone_materialized() }} (
    select
        phone_idd_inputs.phone_id,
        phone_idd_inputs.digits,
        (regexp_match(phone_idd_inputs.digits, phone_region_patterns.idd_capture))[1] as idd_match
    from phone_idd_inputs
    inner join phone_region_patterns
        on phone_idd_inputs.region = phone_region_patterns.metadata_key
),

phone_idd_rests as {{ phone_materialized() }} (
    select
        phone_id,
        case
            when idd_match is not null and substr(digits, length(idd_match) + 1, 1) <> '0'
                then substr(digits, length(idd_match) + 1)
        end as idd_rest
    from phone_idd_matches
)
{%- endmacro %}

{#- _maybe_strip_national_prefix_carrier_code on `number`, with npp_match (the prefix's match on
    it) and the key's pattern columns in scope. -#}
{% macro postgres_phone_stripped(number) -%}
case
    when npp_match is null then {{ number }}
    when npp_rule is not null and coalesce(npp_match[npp_groups + 1], '') <> '' then case
        when coalesce({{ number }} ~ general_pattern, false)
            and not coalesce(regexp_replace({{ number }}, npp_prefix, npp_rule) ~ general_pattern, false)
            then {{ number }}
        else regexp_replace({{ number }}, npp_prefix, npp_rule)
    end
    when coalesce({{ number }} ~ general_pattern, false)
        and not coalesce(substr({{ number }}, length(npp_match[1]) + 1) ~ general_pattern, false)
        then {{ number }}
    else substr({{ number }}, length(npp_match[1]) + 1)
end
{%- endmacro %}

{% macro postgres__phone_default_country_rests(source, md) %}
phone_default_country_inputs as {{ phone_materialized() }} (
    select
        {{ source }}.phone_id,
        {{ source }}.digits,
        phone_region_patterns.metadata_calling_code,
        phone_region_patterns.npp_prefix,
        phone_region_patterns.npp_capture,
        phone_region_patterns.npp_rule,
        phone_region_patterns.npp_groups,
        phone_region_patterns.general_pattern,
        phone_region_patterns.max_length,
        phone_region_patterns.local_lengths,
        substr({{ source }}.digits, length(phone_region_patterns.metadata_calling_code) + 1) as rest
    from {{ source }}
    inner join phone_region_patterns
        on {{ source }}.region = phone_region_patterns.metadata_key
    where {{ source }}.route = 'default' and {{ source }}.is_known_region
    order by phone_region_patterns.metadata_key
),

phone_default_country_potentials as {{ phone_materialized() }} (
    select
        phone_id,
        digits,
        metadata_calling_code,
        general_pattern,
        max_length,
        local_lengths,
        {{ postgres_phone_stripped('rest') }} as potential
    from (
        select
            *,
            regexp_match(rest, npp_capture) as npp_match
        from phone_default_country_inputs
    ) as matched
),

phone_default_country_rests as {{ phone_materialized() }} (
    select
        phone_id,
        case
            when digits like metadata_calling_code || '%'
                and (
                    (not coalesce(digits ~ general_pattern, false) and coalesce(potential ~ general_pattern, false))
                    or (length(digits) > max_length and not length(digits) = any(local_lengths))
                )
                then potential
        end as default_country_digits
    from phone_default_country_potentials
)
{%- endmacro %}

{% macro postgres__phone_significant_numbers(source, md) %}
phone_national_prefix_inputs as {{ phone_materialized() }} (
    select
        phone_id,
        calling_code,
        metadata_key,
        national_digits
    from {{ source }}
    order by metadata_key
),

phone_national_prefix as {{ phone_materialized() }} (
    select
        phone_id,
        calling_code,
        national_digits,
        lengths,
        max_length,
        local_lengths,
        {{ postgres_phone_stripped('national_digits') }} as without_national_prefix
    from (
        select
            phone_national_prefix_inputs.*,
            phone_region_patterns.npp_prefix,
            phone_region_patterns.npp_rule,
            phone_region_patterns.npp_groups,
            phone_region_patterns.general_pattern,
            phone_region_patterns.lengths,
            phone_region_patterns.max_length,
            phone_region_patterns.local_lengths,
            regexp_match(phone_national_prefix_inputs.national_digits, phone_region_patterns.npp_capture) as npp_match
        from phone_national_prefix_inputs
        inner join phone_region_patterns
            on phone_national_prefix_inputs.metadata_key = phone_region_patterns.metadata_key
    ) as matched
),

phone_significant as {{ phone_materialized() }} (
    {#- The prefix is dropped only if what remains has a possible length (or is too long); the
        number then needs a possible length of its calling code's main region. -#}
    select
        significant.phone_id,
        significant.calling_code,
        significant.national_number
    from (
        select
            phone_id,
            calling_code,
            case
                when (
                    length(without_national_prefix) = any(lengths) or length(without_national_prefix) > max_length
                ) and not length(without_national_prefix) = any(local_lengths)
                    then without_national_prefix
                else national_digits
            end as national_number
        from phone_national_prefix
    ) as significant
    inner join phone_region_patterns as main_patterns
        on significant.calling_code = main_patterns.metadata_calling_code
        and main_patterns.metadata_rank = 0
    where length(significant.national_number) <= 17
        and length(significant.national_number) = any(main_patterns.lengths || main_patterns.local_lengths)
)
{%- endmacro %}

{#- region_code_for_number and is_valid_number: a calling code's regions are tried in rank order;
    one with leading digits claims the number when they start it, one without when the number is
    valid there (a code with one region always claims). The number is valid when valid in the
    region that claims it first. -#}
{% macro postgres__phone_valid_numbers(source, md) %}
phone_region_candidates as {{ phone_materialized() }} (
    select
        {{ source }}.phone_id,
        {{ source }}.calling_code,
        {{ source }}.national_number,
        phone_region_patterns.metadata_key,
        phone_region_patterns.metadata_rank,
        phone_region_patterns.leading_digits_pattern,
        count(*) over (partition by {{ source }}.phone_id) as region_count
    from {{ source }}
    inner join phone_region_patterns
        on {{ source }}.calling_code = phone_region_patterns.metadata_calling_code
),

phone_validity_requests as {{ phone_materialized() }} (
    {#- The regions whose validity decides: each without leading digits ranked before the first
        whose leading digits claim the number, and that one. Windows, not joins: the planner
        misjudges these CTEs' sizes and would join them in nested loops. -#}
    select
        phone_id,
        calling_code,
        national_number,
        metadata_key,
        metadata_rank,
        leading_rank,
        leading_digits_pattern is null and region_count > 1 as is_claimed_when_valid
    from (
        select
            *,
            min(case when region_count = 1 or national_number ~ leading_digits_pattern then metadata_rank end)
                over (partition by calling_code, phone_id) as leading_rank
        from phone_region_candidates
    ) as claimed
    where metadata_rank = leading_rank
        or (
            leading_digits_pattern is null
            and region_count > 1
            and metadata_rank < coalesce(leading_rank, 1000)
        )
    order by metadata_key
),

phone_validity as {{ phone_materialized() }} (
    {#- _number_type_helper(...) != UNKNOWN: the general pattern and one number type match. -#}
    select requests.*
    from phone_validity_requests as requests
    inner join phone_region_patterns as patterns
        on requests.metadata_key = patterns.metadata_key
    where length(requests.national_number) = any(patterns.lengths)
        and requests.national_number ~ patterns.general_pattern
        and exists (
            select 1
            from phone_type_patterns as types
            where types.metadata_key = requests.metadata_key
                and not (patterns.is_same_mobile and types.number_type = 'mobile')
                and (
                    coalesce(cardinality(types.type_lengths), 0) = 0
                    or length(requests.national_number) = any(types.type_lengths)
                )
                and requests.national_number ~ types.type_pattern
        )
),

phone_valid as {{ phone_materialized() }} (
    {#- Valid in the region that claims the number first (least() skips nulls). -#}
    select
        phone_id,
        '+' || calling_code || national_number as phone
    from (
        select
            *,
            min(case when is_claimed_when_valid then metadata_rank end) over (partition by phone_id) as first_valid_rank
        from phone_validity
    ) as valid_requests
    where metadata_rank = least(leading_rank, first_valid_rank)
)
{%- endmacro %}
