{#-
    Order amounts as crm_quality/standardize/amount.py reads them (amount_fields), set-based:
    standardize_amount_values(relation, column) selects, for each row of `relation` (give it
    the distinct raw values and join the result back), the raw value, amount decimal(18, 2)
    (null unless valid) and amount_status ('valid', 'missing', 'invalid').
    The rule (README, "What happens to bad data"), after trimming and an optional sign:
    '1234.5'; '1,234.50' and '1.234,50' (rightmost separator decimal, the other grouping in
    threes); '1,234,567' and '1.234.567' (one separator, repeated, groups of three); '12,5'
    (one comma and one or two digits); '1,234' and '1.234' are ambiguous, so invalid; so is
    anything else, and a negative amount. Rounded to cents half away from zero. No
    placeholders: 'n/a' in an amount is invalid, not missing. The currency needs nothing
    here: int_orders_enriched checks it against the currencies seed.
-#}

{#- The amount as plain 'digits[.digits]' text, or null when it breaks the rule. -#}
{% macro amount_plain_text(body) -%}
    case
        when {{ regex_matches(body, '^[0-9]{1,3}(\\.[0-9]{3})+,[0-9]+$') }}
            then replace(replace({{ body }}, '.', ''), ',', '.')
        when {{ regex_matches(body, '^[0-9]{1,3}(,[0-9]{3})+\\.[0-9]+$') }}
            then replace({{ body }}, ',', '')
        when {{ regex_matches(body, '^[0-9]{1,3}(,[0-9]{3}){2,}$') }}
            then replace({{ body }}, ',', '')
        when {{ regex_matches(body, '^[0-9]{1,3}(\\.[0-9]{3}){2,}$') }}
            then replace({{ body }}, '.', '')
        when {{ regex_matches(body, '^[0-9]+[.,][0-9]{3}$') }}
            then null
        when {{ regex_matches(body, '^[0-9]+,[0-9]{1,2}$') }}
            then replace({{ body }}, ',', '.')
        when {{ regex_matches(body, '^[0-9]+(\\.[0-9]+)?$') }}
            then {{ body }}
    end
{%- endmacro %}

{% macro standardize_amount_values(relation, column) -%}
    {%- set sign_and_body = '^([+-]?) ?([0-9.,]+)$' -%}
    with

    amount_cleaned as {{ materialized_cte() }} (
        select
            {{ column }} as raw_value,
            {{ clean_text_expression(column) }} as amount_text
        from {{ relation }}
    ),

    amount_signed as {{ materialized_cte() }} (
        select
            raw_value,
            amount_text,
            {{ regex_captures(ascii_digits('amount_text'), sign_and_body, ['sign', 'body']) }} as captures
        from amount_cleaned
    ),

    amount_plain as {{ materialized_cte() }} (
        select
            raw_value,
            amount_text,
            coalesce({{ regex_captured('captures', ['sign', 'body'], 'sign') }}, '') = '-' as is_negative,
            {{ amount_plain_text(regex_captured('captures', ['sign', 'body'], 'body')) }} as plain_text
        from amount_signed
    ),

    amount_digits as (
        select
            raw_value,
            amount_text,
            is_negative,
            plain_text,
            coalesce(nullif({{ regex_replace_all("split_part(plain_text, '.', 1)", '^0+', '') }}, ''), '0') as whole_digits,
            split_part(plain_text, '.', 2) as fraction_digits
        from amount_plain
    ),

    {#- Half away from zero: only the third fraction digit decides. Text past 16 whole
        digits never reaches a cast (decimal(18, 2) holds 16). -#}
    amount_rounded as (
        select
            raw_value,
            amount_text,
            is_negative,
            case
                when plain_text is not null and length(whole_digits) <= 16
                    then cast(whole_digits || '.' || rpad(substr(fraction_digits, 1, 2), 2, '0') as decimal(19, 2))
                    + case when substr(fraction_digits, 3, 1) >= '5' then 0.01 else 0 end
            end as amount
        from amount_digits
    ),

    amount_judged as (
        select
            raw_value,
            case
                when amount_text is null then 'missing'
                when amount is null or amount >= 10000000000000000 then 'invalid'
                when is_negative and amount > 0 then 'invalid'
                else 'valid'
            end as amount_status,
            amount
        from amount_rounded
    )

    select
        raw_value as {{ column }},
        cast(case when amount_status = 'valid' then amount end as decimal(18, 2)) as amount,
        amount_status
    from amount_judged
{%- endmacro %}
