{#-
    E-mail addresses as crm_quality/standardize/email.py writes and judges them, set-based:
    standardize_email_values(relation, column) selects, for each row of `relation` (give it
    the distinct raw values and join the result back), the raw value and
    email, email_domain, is_disposable_email, email_status ('valid', 'missing', 'invalid').
    email and email_domain are null unless valid, as in standardize_people.
-#}

{#- One unwrapping pass of standardize_email's loop (email.py `_unwrap`) before its clean_text
    (clean_text_expression, macros/standardize/text.sql):
    'mailto:' prefixes, the last <...> of a text ending in '>', '<', '>' and spaces at the ends,
    'mailto:' again, lower case. Applied to a fixed point it changes nothing. -#}
{% macro email_unwrapped(expression) -%}
    {%- set mailto = '^([Mm][Aa][Ii][Ll][Tt][Oo]: ?)+' -%}
    lower({{ regex_replace_all(
        regex_replace_all(
            regex_replace_all(regex_replace_all(expression, mailto, ''), '^.*<(.*)>$', '\\1'),
            '^[<> ]+|[<> ]+$',
            ''
        ),
        mailto,
        ''
    ) }})
{%- endmacro %}

{#- The practical syntax check of is_valid_email (email.py), for standardized text. Like
    Python it spells the language out in ASCII for ASCII text: the same language there, and
    an automaton over a few ranges instead of Unicode's hundreds (about 20 times faster). -#}
{% macro email_syntax_pattern(ascii_only=false) -%}
    {%- set alnum = 'A-Za-z0-9' if ascii_only else regex_alnum_class() -%}
    {%- set letter = 'A-Za-z' if ascii_only else regex_letter_class() -%}
    {%- set local_run = '[^ @"(),:;<>\\[\\]\\\\.]+' -%}
    {#- Label and TLD lengths (at most 63) are checked apart: counted repetition of a large
        class makes the automaton huge. -#}
    {%- set label = '[' ~ alnum ~ ']([' ~ alnum ~ '-]*[' ~ alnum ~ '])?' -%}
    {%- set tld = '([' ~ letter ~ ']{2,}|xn--[a-z0-9-]+)' -%}
    ^{{ local_run }}(\.{{ local_run }})*@({{ label }}\.)+{{ tld }}$
{%- endmacro %}

{% macro standardize_email_values(
    relation, column, placeholders=none, disposable_domains=none, passes=6
) -%}
    {#- `passes` unwrapping passes: Python repeats until nothing changes; nested junk such
        as '<mailto:<a@b.com>>' settles in two. -#}
    with

    email_placeholders as (
        {{ placeholder_rows_of('email', placeholders) }}
    ),

    disposable as (
        select distinct lower(trim(domain)) as domain
        from {{ disposable_domains if disposable_domains is not none else ref('disposable_email_domains') }}
        where domain is not null
    ),

    email_cleaned as {{ materialized_cte() }} (
        select
            raw_value,
            case when {{ placeholder_fold('email_text') }} not in (select placeholder from email_placeholders) then email_text end
                as email_text
        from (
            select
                {{ column }} as raw_value,
                {{ clean_text_expression(column) }} as email_text
            from {{ relation }}
        ) as cleaned
    ),

    {#- Printable ASCII without '<', '>' or ':' (most addresses) has nothing to unwrap: lower
        case is all. The rest goes through the passes. -#}
    email_plain as (
        select
            raw_value,
            lower(email_text) as email_text
        from email_cleaned
        where email_text is null or {{ regex_matches('email_text', '^[ -9;=?-~]*$') }}
    ),

    email_pass_0 as (
        select
            raw_value,
            email_text
        from email_cleaned
        where not {{ regex_matches('email_text', '^[ -9;=?-~]*$') }}
    ),
    {% for pass in range(1, passes + 1) %}
    email_pass_{{ pass }} as {{ materialized_cte() }} (
        select
            raw_value,
            case when {{ placeholder_fold('unwrapped') }} not in (select placeholder from email_placeholders) then unwrapped end
                as email_text
        from (
            select
                raw_value,
                {{ clean_text_expression(email_unwrapped('email_text')) }} as unwrapped
            from email_pass_{{ pass - 1 }}
        ) as unwrapping
    ),
    {% endfor %}
    email_standardized as (
        select * from email_plain
        union all
        select * from email_pass_{{ passes }}
    ),

    email_judged as (
        select
            raw_value,
            email_text,
            email_text is not null
            and length(email_text) <= 254
            and case
                when {{ regex_matches('email_text', '^[ -~]*$') }}
                    then {{ regex_matches('email_text', email_syntax_pattern(ascii_only=true)) }}
                else {{ regex_matches('email_text', email_syntax_pattern()) }}
            end
            and length(split_part(email_text, '@', 1)) <= 64
            and length(split_part(email_text, '@', 2)) <= 253
            and not {{ regex_matches("split_part(email_text, '@', 2)", '[^.]{64}') }} as is_valid
        from email_standardized
    ),

    email_valid as (
        select
            raw_value,
            case when is_valid then email_text end as email,
            case when is_valid then split_part(email_text, '@', 2) end as email_domain,
            case
                when email_text is null then 'missing'
                when is_valid then 'valid'
                else 'invalid'
            end as email_status
        from email_judged
    ),

    {#- is_disposable_domain: the domain or a parent of two labels or more is listed. -#}
    email_domains as (
        select distinct email_domain from email_valid
        where email_domain is not null
    ),

    disposable_hits as (
        select distinct email_domains.email_domain
        from email_domains
        inner join disposable
            on
                email_domains.email_domain = disposable.domain
                or (
                    disposable.domain like '%.%'
                    and right(email_domains.email_domain, length(disposable.domain) + 1) = '.' || disposable.domain
                )
    )

    select
        email_valid.raw_value as {{ column }},
        email_valid.email,
        email_valid.email_domain,
        disposable_hits.email_domain is not null as is_disposable_email,
        email_valid.email_status
    from email_valid
    left join disposable_hits on email_valid.email_domain = disposable_hits.email_domain
{%- endmacro %}
