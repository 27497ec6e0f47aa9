{#- Phone numbers to E.164, judged as crm_quality.standardize.phone does (phonenumbers' parse and
    is_valid_number, with its pre-processing), in portable SQL driven by the phone_* seeds.

    Use: `phone_standardized_pairs(relation, phone_column, region_column)` renders a select over the
    distinct (phone, region) pairs of `relation` (a ref or a CTE name) with the columns
        phone_raw, phone_region   the pair as given (join back with `is not distinct from`)
        phone                     E.164 ('+4930123456'), null unless valid
        phone_key                 the E.164 number, or the digits of an unverifiable national number
        phone_status              valid | invalid | missing | unverifiable
    e.g. `phones as ({{ phone_standardized_pairs('phone_pairs', 'phone_raw', 'country') }})`.
    The region is an ISO alpha-2 code (any case) or null. A national-format number without region
    is 'unverifiable' with its digits as key, as in crm_quality.standardize.frame._phone_columns.
    With `pairs_sql`, a query the compiler may run that returns the same pairs (or more) under the
    same column names, only the metadata those pairs reach is rendered (phone_reached_metadata).

    The seeds are read when the SQL is compiled: every metadata pattern becomes a constant in a
    case over the metadata key, because engines compile a pattern read from a column on every row. -#}

{#- The steps up to the calling code (CTEs phone_input … phone_retried_idd): they read only the
    given regions' metadata. -#}
{% macro phone_parsed_steps(relation, phone_column, region_column, md) %}
{#- _VALID_PUNCTUATION after the folds: its other non-ASCII characters became '[' or ASCII. -#}
{%- set punct = '-x' ~ phone_regexp_char('30FC') ~ ' ().\\[\\]/~' -%}
{%- set sep = '[ \t,]*' -%}
{%- set after_label = '[:.]?[ \t,-]*' -%}
{%- set explicit_labels = '(?:e?xt(?:ensi(?:o' ~ phone_regexp_char('0301') ~ '?|' ~ phone_regexp_char('00F3')
    ~ '))?n?|' ~ phone_regexp_char('0434') ~ phone_regexp_char('043E') ~ phone_regexp_char('0431') ~ '|anexo)' -%}
{%- set extension = ';ext=([0-9]{1,20})'
    ~ '|' ~ sep ~ explicit_labels ~ after_label ~ '([0-9]{1,20})#?'
    ~ '|' ~ sep ~ '(?:[x#~]|int)' ~ after_label ~ '([0-9]{1,9})#?'
    ~ '|[- ]+([0-9]{1,6})#'
    ~ '|[ \t]*(?:,{2}|;)' ~ after_label ~ '([0-9]{1,15})#?'
    ~ '|[ \t]*(?:,)+' ~ after_label ~ '([0-9]{1,9})#?' -%}
{#- phonenumbers' _VALID_PHONE_NUMBER_PATTERN, on text whose digits are ASCII after the folds. -#}
{%- set viable = '^(?:[0-9]{2}|\\+*(?:[' ~ punct ~ '*]*[0-9]){3,}[' ~ punct ~ '*A-Za-z0-9]*(?:' ~ extension ~ ')?)$' -%}
{#- _UNWANTED_END_CHARS: other than '#', letters and digits. Characters beyond ASCII that are
    neither were folded to '!' or '[' (phone_character_folds), so the rest count as letters. -#}
{%- set unwanted_end = '[^#0-9A-Za-z' ~ phone_regexp_char('0080') ~ '-' ~ phone_regexp_char('FFFF') ~ ']+$' -%}
phone_input as {{ wide_cte_materialized() }} (
    {#- A number per pair: the steps join on it (PostgreSQL hashes no `is not distinct from`). -#}
    select
        phone_raw,
        phone_region,
        row_number() over () as phone_id
    from (
        select distinct
            {{ phone_column }} as phone_raw,
            {{ region_column }} as phone_region
        from {{ relation }}
    ) as phone_pairs
),

phone_cleaned as {{ wide_cte_materialized() }} (
    {#- clean_text: Unicode spaces to one space, invisible and control characters dropped. -#}
    select
        phone_raw,
        phone_region,
        phone_id,
        trim({{ phone_regexp_replace(
            "case when " ~ phone_regexp_search('phone_raw', '[^ -~]') ~ " then translate(phone_raw, '"
            ~ md.clean_from ~ "', '" ~ md.clean_to ~ "') else phone_raw end",
            ' {2,}', ' ', all=true) }}) as phone_text,
        case
            when {{ phone_regexp_search('upper(trim(phone_region))', '^[A-Z]{2}$') }}
                then upper(trim(phone_region))
        end as region
    from phone_input
),

{{ phone_nfkc_folded_texts('phone_cleaned', md) }},

phone_prepared as {{ wide_cte_materialized() }} (
    {#- phone._prepared: NFKC, extension words phonenumbers does not know, a leading 00 as '+'. -#}
    select
        phone_cleaned.*,
        {{ phone_regexp_replace(phone_regexp_replace(
            'coalesce(phone_nfkc_folded.folded_text, phone_cleaned.phone_text)',
            '[ ,;]*(?:durchwahl|dw|nebenstelle|nst|poste|interno|interne|int|ext|extension)\\.? *:? *[0-9]{1,6} *$',
            '', case_insensitive=true),
            '^([^0-9+]*)00', '\\1+') }} as prepared_text,
        phone_region_metadata.region is not null as is_known_region
    from phone_cleaned
    left join phone_nfkc_folded
        on phone_cleaned.phone_id = phone_nfkc_folded.phone_id
    left join (
        select region from {{ ref('phone_regions') }} where region <> '001'
    ) as phone_region_metadata
        on phone_cleaned.region = phone_region_metadata.region
    where phone_text <> ''
        and not exists (
            select 1
            from {{ ref('placeholder_values') }} as placeholder_values
            where placeholder_values.field_type in ('any', 'phone')
                and placeholder_values.value = lower(phone_cleaned.phone_text)
        )
),

phone_extracted as {{ wide_cte_materialized() }} (
    {#- parse: the number from its first digit or '+', without trailing punctuation or a second
        number; an RFC 3966 isdn-subaddress is cut off. -#}
    select
        *,
        {{ phone_regexp_replace(phone_regexp_replace(phone_regexp_replace(
            'prepared_text', '^[^+0-9]*', ''), unwanted_end, ''), '[\\\\/] *x.*$', '') }} as number_text
    from phone_prepared
    where region is not null
        or not {{ phone_regexp_search('trim(prepared_text)', '^[-0-9 ().\\/]+$') }}
        or length({{ phone_regexp_replace('prepared_text', '[^0-9]', '', all=true) }}) not between 5 and 15
),

phone_isdn_cut as {{ wide_cte_materialized() }} (
    select
        *,
        case
            when position(';isub=' in number_text) > 1 then left(number_text, position(';isub=' in number_text) - 1)
            else number_text
        end as viable_text
    from phone_extracted
),

phone_extension as {{ wide_cte_materialized() }} (
    select
        *,
        {{ phone_regexp_extract('viable_text', '(?:' ~ extension ~ ')$', case_insensitive=true) }} as extension_text
    from phone_isdn_cut
    where length(prepared_text) <= 250
        and length(viable_text) >= 2
        and {{ phone_regexp_search('viable_text', viable, case_insensitive=true) }}
        and (is_known_region or viable_text like '+%')
),

phone_without_extension as {{ wide_cte_materialized() }} (
    select
        *,
        case
            when extension_text <> ''
                and length(viable_text) - length(extension_text) >= 2
                and {{ phone_regexp_search(
                    'left(viable_text, length(viable_text) - length(extension_text))', viable, case_insensitive=true) }}
                then left(viable_text, length(viable_text) - length(extension_text))
            else viable_text
        end as main_text
    from phone_extension
),

phone_normalized as {{ wide_cte_materialized() }} (
    {#- _normalize: with three letters or more, letters are keypad digits; other characters go. -#}
    select
        *,
        main_text like '+%' as has_plus,
        {{ phone_regexp_replace(
            "case when " ~ phone_regexp_search("ltrim(main_text, '+')", '[A-Za-z].*[A-Za-z].*[A-Za-z]')
            ~ " then translate(ltrim(main_text, '+'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', "
            ~ "'2223334445556667777888999922233344455566677778889999') else ltrim(main_text, '+') end",
            '[^0-9]', '', all=true) }} as digits
    from phone_without_extension
),

phone_calling_codes as {{ wide_cte_materialized() }} (
    select calling_code from {{ ref('phone_regions') }} where region_rank = '0'
),

{{ phone_idd_rests('phone_normalized', md) }},

phone_idd as {{ wide_cte_materialized() }} (
    {#- The region's international prefix, when the number starts with it and not with 0 after it. -#}
    select
        phone_normalized.*,
        phone_idd_rests.idd_rest,
        case
            when phone_normalized.has_plus then phone_normalized.digits
            else phone_idd_rests.idd_rest
        end as international_digits
    from phone_normalized
    left join phone_idd_rests
        on phone_normalized.phone_id = phone_idd_rests.phone_id
),

phone_calling_code as {{ wide_cte_materialized() }} (
    {#- The calling code after '+' or the prefix (calling codes are prefix-free): one equi-join
        per code length, which engines hash. -#}
    select
        phone_idd.*,
        case
            when length(phone_idd.international_digits) > 2
                then coalesce(codes_1.calling_code, codes_2.calling_code, codes_3.calling_code)
        end as international_calling_code
    from phone_idd
    left join phone_calling_codes as codes_1
        on left(phone_idd.international_digits, 1) = codes_1.calling_code
    left join phone_calling_codes as codes_2
        on left(phone_idd.international_digits, 2) = codes_2.calling_code
    left join phone_calling_codes as codes_3
        on left(phone_idd.international_digits, 3) = codes_3.calling_code
),

phone_retried as {{ wide_cte_materialized() }} (
    {#- A '+' before an unknown code is read again without it (phonenumbers.parse does so). -#}
    select
        *,
        case
            when international_calling_code is not null then 'international'
            when has_plus and length(digits) <= 2 then 'failed'
            when has_plus then case
                when idd_rest is not null then 'failed_idd'
                else 'default'
            end
            when international_digits is not null then 'failed'
            else 'default'
        end as route
    from phone_calling_code
),

phone_retried_idd as {{ wide_cte_materialized() }} (
    select
        phone_retried.*,
        case
            when phone_retried.route = 'failed_idd' and length(phone_retried.idd_rest) > 2
                then coalesce(codes_1.calling_code, codes_2.calling_code, codes_3.calling_code)
        end as retried_calling_code,
        phone_retried.idd_rest as retried_digits
    from phone_retried
    left join phone_calling_codes as codes_1
        on left(phone_retried.idd_rest, 1) = codes_1.calling_code
    left join phone_calling_codes as codes_2
        on left(phone_retried.idd_rest, 2) = codes_2.calling_code
    left join phone_calling_codes as codes_3
        on left(phone_retried.idd_rest, 3) = codes_3.calling_code
)
{%- endmacro %}

{% macro phone_standardized_pairs(relation, phone_column, region_column, pairs_sql=none, parsed_scratch=none) %}
{%- set md = phone_metadata() -%}
{%- if pairs_sql is not none -%}
    {%- set md = phone_reached_metadata(md, pairs_sql, phone_column, region_column, parsed_scratch) -%}
{%- endif -%}
with {% if md.parsed_scratch %}{{ phone_steps_from_scratch(md.parsed_scratch) }}{% else -%}
{{ phone_parsed_steps(relation, phone_column, region_column, md) }}{% endif %},

{{ phone_default_country_rests('phone_retried_idd', md) }},

phone_default_country as {{ wide_cte_materialized() }} (
    {#- Without an international prefix: the region's own calling code may still lead the digits. -#}
    select
        phone_retried_idd.*,
        phone_default_country_rests.default_country_digits,
        region_codes.calling_code as region_calling_code
    from phone_retried_idd
    left join phone_default_country_rests
        on phone_retried_idd.phone_id = phone_default_country_rests.phone_id
    left join (
        select calling_code, region from {{ ref('phone_regions') }} where region <> '001'
    ) as region_codes
        on phone_retried_idd.region = region_codes.region
),

phone_country as {{ wide_cte_materialized() }} (
    select
        *,
        case
            when route = 'international'
                then international_calling_code
            when route = 'failed_idd' and retried_calling_code is not null
                then retried_calling_code
            when route = 'default' and default_country_digits is not null
                then region_calling_code
            when route = 'default' and not has_plus
                then region_calling_code
        end as calling_code,
        case
            when route = 'international'
                then substr(international_digits, length(international_calling_code) + 1)
            when route = 'failed_idd' and retried_calling_code is not null
                then substr(retried_digits, length(retried_calling_code) + 1)
            when route = 'default' and default_country_digits is not null
                then default_country_digits
            when route = 'default' and not has_plus
                then digits
        end as national_digits,
        {#- The metadata parsing goes on with: the calling code's main region, or the region. -#}
        case
            when route = 'default' and default_country_digits is null and not has_plus then region
        end as parsing_region
    from phone_default_country
),

phone_parsing_metadata as {{ wide_cte_materialized() }} (
    select
        phone_country.*,
        coalesce(
            phone_country.parsing_region,
            case when main_regions.region = '001' then '+' || main_regions.calling_code else main_regions.region end
        ) as metadata_key
    from phone_country
    left join (
        select calling_code, region from {{ ref('phone_regions') }} where region_rank = '0'
    ) as main_regions
        on phone_country.calling_code = main_regions.calling_code
    where phone_country.calling_code is not null
        and length(phone_country.national_digits) >= 2
),

{{ phone_significant_numbers('phone_parsing_metadata', md) }},

{{ phone_valid_numbers('phone_significant', md) }}

select
    phone_input.phone_raw,
    phone_input.phone_region,
    phone_valid.phone,
    case
        when phone_valid.phone is not null then phone_valid.phone
        when phone_extracted.phone_id is null and phone_prepared.phone_id is not null
            then {{ phone_regexp_replace('phone_prepared.prepared_text', '[^0-9]', '', all=true) }}
    end as phone_key,
    case
        when phone_valid.phone is not null then 'valid'
        when phone_prepared.phone_id is null then 'missing'
        when phone_extracted.phone_id is null then 'unverifiable'
        else 'invalid'
    end as phone_status
{{ phone_input_joined(['phone_prepared', 'phone_extracted', 'phone_valid']) }}
{% endmacro %}

{#- Every pair (phone_input) with how far it got: each step's row, null where it stopped before. -#}
{% macro phone_input_joined(steps) %}
from phone_input
{%- for step in steps %}
left join {{ step }}
    on phone_input.phone_id = {{ step }}.phone_id
{%- endfor %}
{%- endmacro %}

{#- The phone seeds as Jinja data: regions in calling-code order, their number types, and the
    character folds as translate() arguments. Empty while dbt parses, and where the seeds are
    not loaded (sqlfluff compiles the models against an empty warehouse to lint them). -#}
{% macro phone_metadata() %}
{%- set md = {'regions': [], 'given_regions': none, 'parsed_scratch': none, 'clean_from': '', 'clean_to': '', 'nfkc_from': '', 'nfkc_to': ''} -%}
{#- ref() outside the `execute` branch, so dbt records the dependencies while parsing. -#}
{%- set regions_seed = ref('phone_regions') -%}
{%- set number_types_seed = ref('phone_number_types') -%}
{%- set character_folds_seed = ref('phone_character_folds') -%}
{#- One dict per row: an agate row looked up by name builds its dict on every lookup. -#}
{%- if execute and load_relation(number_types_seed) is not none -%}
    {%- set types = {} -%}
    {%- set type_rows = run_query(
        'select calling_code, region, number_type, national_number_pattern, possible_lengths from '
        ~ number_types_seed) -%}
    {%- for row in type_rows.rows -%}
        {%- set r = row.dict() -%}
        {%- set key = r['region'] if r['region'] != '001' else '+' ~ r['calling_code'] -%}
        {%- do types.setdefault(key, []).append({
            'number_type': r['number_type'],
            'pattern': r['national_number_pattern'],
            'lengths': (r['possible_lengths'] or '').split()}) -%}
    {%- endfor -%}
    {%- set region_rows = run_query(
        'select * from ' ~ regions_seed
        ~ ' order by cast(calling_code as integer), cast(region_rank as integer)') -%}
    {%- for row in region_rows.rows -%}
        {%- set r = row.dict() -%}
        {%- set key = r['region'] if r['region'] != '001' else '+' ~ r['calling_code'] -%}
        {%- set npp = r['national_prefix_for_parsing'] or '' -%}
        {%- do md.regions.append({
            'key': key,
            'region': r['region'],
            'calling_code': r['calling_code'],
            'rank': r['region_rank'] | int,
            'idd': r['international_prefix'] or '',
            'npp': npp,
            'npp_groups': npp.count('(') - npp.count('(?'),
            'rule': r['national_prefix_transform_rule'] or '',
            'leading_digits': r['leading_digits'] or '',
            'general': r['general_pattern'] or '',
            'lengths': (r['possible_lengths'] or '').split(),
            'local_lengths': (r['possible_lengths_local_only'] or '').split(),
            'same_mobile': r['same_mobile_and_fixed_line_pattern'] == 'true',
            'types': types.get(key, [])}) -%}
    {%- endfor -%}
    {#- Joined in SQL: eleven thousand rows looped over in Jinja took seconds per model. The
        characters a step deletes come last in `from`, with no partner in `to`. A '|' leads
        each string so that no text is read as a number. -#}
    {%- set code_point = 'cast(code_point as integer)' -%}
    {%- set fold_rows = run_query(
        "select fold_step, '|' || string_agg(chr(" ~ code_point ~ "), '' order by folded_code_point is null, "
        ~ code_point ~ ") as from_characters, '|' || coalesce(string_agg(chr(cast(folded_code_point as integer)),"
        ~ " '' order by " ~ code_point ~ ") filter (where folded_code_point is not null), '') as to_characters"
        ~ " from " ~ character_folds_seed ~ " group by fold_step") -%}
    {%- for row in fold_rows.rows -%}
        {%- do md.update({
            row[0] ~ '_from': row[1][1:] | replace("'", "''"),
            row[0] ~ '_to': row[2][1:] | replace("'", "''")}) -%}
    {%- endfor -%}
{%- endif -%}
{{ return(md) }}
{% endmacro %}

{#- md with only the regions of the calling codes that the pairs of `pairs_sql` (a query with
    phone_column and region_column) reach: their given regions' codes and the codes after '+' or
    an international prefix, each code with all its regions, as phone_standardized_pairs needs
    them. Engines that inline the patterns then plan a query over the few dozen regions of the
    data instead of all 250 (seconds less per model on a small build); the query that finds
    them runs only the steps up to the calling code (phone_parsed_steps).
    With `parsed_scratch` (when pairs_sql gives exactly the pairs the model standardizes), those
    steps run once, into that scratch table, which both the query here and the model read
    (md.parsed_scratch): at a million records, running them twice cost 12 CPU seconds. -#}
{% macro phone_reached_metadata(md, pairs_sql, phone_column, region_column, parsed_scratch=none) %}
    {{ return(adapter.dispatch('phone_reached_metadata', 'crm_quality')(md, pairs_sql, phone_column, region_column, parsed_scratch)) }}
{% endmacro %}

{% macro default__phone_reached_metadata(md, pairs_sql, phone_column, region_column, parsed_scratch=none) %}
{%- if not (execute and md.regions) -%}{{ return(md) }}{%- endif -%}
{%- set steps = 'with ' ~ phone_parsed_steps('(' ~ pairs_sql ~ ') as phone_given_pairs', phone_column, region_column, md) -%}
{%- if parsed_scratch is not none -%}
    {%- do create_scratch_table(parsed_scratch, steps ~ ' ' ~ phone_scratch_select()) -%}
    {%- set steps = 'with phone_retried_idd as (' ~ phone_scratch_step(parsed_scratch, 'phone_retried_idd') ~ ')' -%}
{%- endif -%}
{#- A '|' leads each value so that agate reads no calling code as a number. -#}
{%- set reached = run_query(
    steps
    ~ " select distinct reached.kind, '|' || reached.reached_value from ("
    ~ " select 'code' as kind, international_calling_code as reached_value from phone_retried_idd"
    ~ " union all select 'code', retried_calling_code from phone_retried_idd"
    ~ " union all select 'code', given_regions.calling_code from phone_retried_idd"
    ~ ' inner join ' ~ ref('phone_regions') ~ ' as given_regions'
    ~ ' on phone_retried_idd.region = given_regions.region'
    ~ " union all select 'region', region from phone_retried_idd"
    ~ ') as reached where reached.reached_value is not null') -%}
{%- set reached_values = {'code': [], 'region': []} -%}
{%- for row in reached.rows -%}{%- do reached_values[row[0]].append(row[1][1:]) -%}{%- endfor -%}
{%- set restricted = {} -%}
{%- do restricted.update(md) -%}
{%- do restricted.update({
    'regions': md.regions | selectattr('calling_code', 'in', reached_values.code) | list,
    'given_regions': reached_values.region,
    'parsed_scratch': parsed_scratch}) -%}
{{ return(restricted) }}
{% endmacro %}

{#- The scratch table of phone_reached_metadata: a row per pair (phone_input), with what the
    steps after the calling code and the final select read of phone_prepared, phone_extracted and
    phone_retried_idd (all its columns, null where the pair did not get that far). -#}
{% macro phone_scratch_select() %}
select
    phone_input.phone_raw as input_phone_raw,
    phone_input.phone_region as input_phone_region,
    phone_input.phone_id as input_phone_id,
    phone_prepared.phone_id is not null as is_prepared,
    phone_prepared.prepared_text as input_prepared_text,
    phone_extracted.phone_id is not null as is_extracted,
    phone_retried_idd.phone_id is not null as is_retried,
    phone_retried_idd.*
{{ phone_input_joined(['phone_prepared', 'phone_extracted', 'phone_retried_idd']) }}
{%- endmacro %}

{#- One step's rows and columns, read back from the scratch table. -#}
{% macro phone_scratch_step(scratch, step) %}
{%- if step == 'phone_input' -%}
select input_phone_raw as phone_raw, input_phone_region as phone_region, input_phone_id as phone_id from {{ scratch }}
{%- elif step == 'phone_prepared' -%}
select input_phone_id as phone_id, input_prepared_text as prepared_text from {{ scratch }} where is_prepared
{%- elif step == 'phone_extracted' -%}
select input_phone_id as phone_id from {{ scratch }} where is_extracted
{%- else -%}
{%- set columns = run_query('select * from ' ~ scratch ~ ' where false').column_names
    | reject('in', ['input_phone_raw', 'input_phone_region', 'input_phone_id', 'is_prepared',
                    'input_prepared_text', 'is_extracted', 'is_retried']) | list -%}
select {{ columns | join(', ') }} from {{ scratch }} where is_retried
{%- endif -%}
{%- endmacro %}

{#- The CTEs phone_parsed_steps ends with that the rest reads, from the scratch table. -#}
{% macro phone_steps_from_scratch(scratch) %}
{%- for step in ['phone_input', 'phone_prepared', 'phone_extracted', 'phone_retried_idd'] %}
{{ step }} as (
    {{ phone_scratch_step(scratch, step) }}
){% if not loop.last %},{% endif %}
{%- endfor %}
{%- endmacro %}

{#- PostgreSQL's steps join the patterns as columns (phones_postgres.sql): nothing to restrict. -#}
{% macro postgres__phone_reached_metadata(md, pairs_sql, phone_column, region_column, parsed_scratch=none) %}
{{ return(md) }}
{% endmacro %}

{#- The regions a step over the given region reads (geographic ones; those the data give when md
    is restricted to them). -#}
{% macro phone_given_regions(md) %}
{%- set kept = [] -%}
{%- for region in md.regions if region.region != '001'
    and (md.given_regions is none or region.region in md.given_regions) -%}
    {%- do kept.append(region) -%}
{%- endfor -%}
{{ return(kept) }}
{% endmacro %}

{#- The regions a metadata key can name: a given region, or a calling code's main region. -#}
{% macro phone_parsing_regions(md) %}
{%- set kept = [] -%}
{%- for region in md.regions if md.given_regions is none or region.rank == 0
    or region.region in md.given_regions -%}
    {%- do kept.append(region) -%}
{%- endfor -%}
{{ return(kept) }}
{% endmacro %}

{#- `case when key in (…) then <expression> … end`, keys sharing an expression grouped. -#}
{% macro phone_case_grouped(key_expression, pairs) %}
{%- set expressions = [] -%}
{%- set keys = {} -%}
{%- for key, expression in pairs -%}
    {%- if expression not in keys -%}{%- do expressions.append(expression) -%}{%- endif -%}
    {%- do keys.setdefault(expression, []).append(key) -%}
{%- endfor -%}
{%- if expressions -%}
case
{%- for expression in expressions %}
    when {{ key_expression }} in ('{{ keys[expression] | join("', '") }}') then {{ expression }}
{%- endfor %}
end
{%- else -%}
null
{%- endif -%}
{% endmacro %}

{% macro phone_case_region_value(key_expression, regions, field) %}
{%- set pairs = [] -%}
{%- for region in regions -%}{%- do pairs.append((region.key, "'" ~ region[field] ~ "'")) -%}{%- endfor -%}
{{ return(phone_case_grouped(key_expression, pairs)) }}
{% endmacro %}

{#- Python's _match_national_number: the general pattern, lengths not checked. -#}
{% macro phone_general_match(region, number) -%}
{%- if region.general -%}{{ phone_regexp_full_match(number, region.general) }}{%- else -%}false{%- endif -%}
{%- endmacro %}

{#- _maybe_strip_national_prefix_carrier_code for one region's metadata. -#}
{% macro phone_strip_national_prefix(region, number) -%}
{%- if not region.npp -%}
{{ number }}
{%- else -%}
{%- set prefix = '^(?:' ~ region.npp ~ ')' -%}
{%- set stripped = 'substr(' ~ number ~ ', length(' ~ phone_regexp_extract(number, prefix) ~ ') + 1)' -%}
{%- set transformed = phone_regexp_replace(number, prefix, region.rule) -%}
case
    when not {{ phone_regexp_search(number, prefix) }} then {{ number }}
{%- if region.rule %}
    when {{ phone_regexp_extract(number, prefix, region.npp_groups) }} <> '' then case
        when {{ phone_general_match(region, number) }} and not {{ phone_general_match(region, transformed) }}
            then {{ number }}
        else {{ transformed }}
    end
{%- endif %}
    when {{ phone_general_match(region, number) }} and not {{ phone_general_match(region, stripped) }}
        then {{ number }}
    else {{ stripped }}
end
{%- endif -%}
{%- endmacro %}

{% macro phone_case_strip_national_prefix(key_expression, number, md) %}
{%- set pairs = [] -%}
{%- for region in phone_parsing_regions(md) -%}
    {%- do pairs.append((region.key, phone_strip_national_prefix(region, number))) -%}
{%- endfor -%}
{{ return(phone_case_grouped(key_expression, pairs)) }}
{% endmacro %}

{#- The digits after the region's international prefix, unless a 0 follows it; else null. -#}
{% macro phone_case_idd_rest(region_expression, digits, md) %}
{%- set pairs = [] -%}
{%- for region in phone_given_regions(md) if region.idd -%}
    {%- set prefix = '^(?:' ~ region.idd ~ ')' -%}
    {%- set rest_at = 'length(' ~ phone_regexp_extract(digits, prefix) ~ ') + 1' -%}
    {%- do pairs.append((region.key,
        'case when ' ~ phone_regexp_search(digits, prefix) ~ ' and substr(' ~ digits ~ ', ' ~ rest_at
        ~ ', 1) <> \'0\' then substr(' ~ digits ~ ', ' ~ rest_at ~ ') end')) -%}
{%- endfor -%}
{{ return(phone_case_grouped(region_expression, pairs)) }}
{% endmacro %}

{#- _test_number_length(...) == TOO_LONG for one region's metadata. -#}
{% macro phone_too_long(region, length_expression) -%}
{%- set lengths = region.lengths | map('int') | list -%}
({{ length_expression }} > {{ lengths | max }}{% if region.local_lengths %} and {{ length_expression }} not in ({{ region.local_lengths | join(', ') }}){% endif %})
{%- endmacro %}

{#- _maybe_extract_country_code without a prefix: the region's calling code leading the digits is
    dropped when that makes a number of the region; the national digits then, else null. -#}
{% macro phone_case_default_country(region_expression, digits, md) %}
{%- set pairs = [] -%}
{%- for region in phone_given_regions(md) -%}
    {%- set rest = 'substr(' ~ digits ~ ', ' ~ (region.calling_code | length + 1) ~ ')' -%}
    {%- set potential = phone_strip_national_prefix(region, rest) -%}
    {%- do pairs.append((region.key,
        'case when ' ~ digits ~ " like '" ~ region.calling_code ~ "%' and ((not " ~ phone_general_match(region, digits)
        ~ ' and ' ~ phone_general_match(region, potential) ~ ') or ' ~ phone_too_long(region, 'length(' ~ digits ~ ')')
        ~ ') then ' ~ potential ~ ' end')) -%}
{%- endfor -%}
{{ return(phone_case_grouped(region_expression, pairs)) }}
{% endmacro %}

{#- parse keeps the national-prefix-stripped number unless its length is too short, local-only or
    not possible (too long is kept). -#}
{% macro phone_case_keeps_length(key_expression, length_expression, md) %}
{%- set pairs = [] -%}
{%- for region in phone_parsing_regions(md) -%}
    {%- set lengths = region.lengths | map('int') | list -%}
    {%- do pairs.append((region.key,
        '(' ~ length_expression ~ ' in (' ~ region.lengths | join(', ') ~ ') or ' ~ length_expression ~ ' > '
        ~ lengths | max ~ ')' ~ (' and ' ~ length_expression ~ ' not in (' ~ region.local_lengths | join(', ') ~ ')'
        if region.local_lengths else ''))) -%}
{%- endfor -%}
{{ return(phone_case_grouped(key_expression, pairs)) }}
{% endmacro %}

{#- is_possible_number: a possible or local-only length of the calling code's main region. -#}
{% macro phone_case_is_possible(calling_code, length_expression, md) %}
{%- set pairs = [] -%}
{%- for region in md.regions if region.rank == 0 -%}
    {%- do pairs.append((region.calling_code,
        length_expression ~ ' in (' ~ (region.lengths + region.local_lengths) | join(', ') ~ ')')) -%}
{%- endfor -%}
{{ return(phone_case_grouped(calling_code, pairs)) }}
{% endmacro %}

{#- _number_type_helper(...) != UNKNOWN for one region's metadata. -#}
{% macro phone_is_valid_for(region, number) -%}
{%- set checks = [] -%}
{%- for number_type in region.types if not (region.same_mobile and number_type.number_type == 'mobile') -%}
    {%- do checks.append(
        ('length(' ~ number ~ ') in (' ~ number_type.lengths | join(', ') ~ ') and ' if number_type.lengths else '')
        ~ phone_regexp_full_match(number, number_type.pattern)) -%}
{%- endfor -%}
{%- if checks and region.general -%}
(length({{ number }}) in ({{ region.lengths | join(', ') }}) and {{ phone_regexp_full_match(number, region.general) }}
    and ({{ checks | join('\n        or ') }}))
{%- else -%}
false
{%- endif -%}
{%- endmacro %}

{% macro phone_case_is_valid(key_expression, number, md) %}
{%- set pairs = [] -%}
{%- for region in md.regions -%}
    {%- do pairs.append((region.key, phone_is_valid_for(region, number))) -%}
{%- endfor -%}
{{ return(phone_case_grouped(key_expression, pairs)) }}
{% endmacro %}

{#- region_code_for_number: a code's only region, or the first of its regions whose leading digits
    start the number or, without leading digits, that the number is valid in. -#}
{% macro phone_case_number_region(calling_code, number, md) %}
{%- set by_code = {} -%}
{%- set codes = [] -%}
{%- for region in md.regions -%}
    {%- if region.calling_code not in by_code -%}{%- do codes.append(region.calling_code) -%}{%- endif -%}
    {%- do by_code.setdefault(region.calling_code, []).append(region) -%}
{%- endfor -%}
{%- set pairs = [] -%}
{%- for code in codes -%}
    {%- set regions = by_code[code] -%}
    {%- if regions | length == 1 -%}
        {%- do pairs.append((code, "'" ~ regions[0].key ~ "'")) -%}
    {%- else -%}
        {%- set branches = [] -%}
        {%- for region in regions -%}
            {%- if region.leading_digits -%}
                {%- do branches.append('when ' ~ phone_regexp_search(number, '^(?:' ~ region.leading_digits ~ ')')
                    ~ " then '" ~ region.key ~ "'") -%}
            {%- else -%}
                {%- do branches.append('when ' ~ phone_is_valid_for(region, number) ~ " then '" ~ region.key ~ "'") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do pairs.append((code, 'case ' ~ branches | join('\n    ') ~ ' end')) -%}
    {%- endif -%}
{%- endfor -%}
{{ return(phone_case_grouped(calling_code, pairs)) }}
{% endmacro %}

{#- phone_nfkc_folded (phone_id, folded_text): the texts with characters beyond ASCII, NFKC-folded
    by the phone_character_folds seed. -#}
{% macro phone_nfkc_folded_texts(source, md) %}
    {{ return(adapter.dispatch('phone_nfkc_folded_texts', 'crm_quality')(source, md)) }}
{% endmacro %}

{% macro default__phone_nfkc_folded_texts(source, md) %}
phone_nfkc_folded as {{ phone_materialized() }} (
    select
        phone_id,
        translate(phone_text, '{{ md.nfkc_from }}', '{{ md.nfkc_to }}') as folded_text
    from {{ source }}
    where {{ phone_regexp_search('phone_text', '[^ -~]') }}
)
{%- endmacro %}

{#- The steps that read a region's metadata patterns, one dispatch each. DuckDB compiles a pattern
    read from a column on every row, so its variants render the patterns as constants (cases over
    the metadata key, above); PostgreSQL's variants join the patterns as columns
    (phones_postgres.sql). Each renders CTEs ending in the one named, keyed by phone_id. -#}

{#- phone_idd_rests (phone_id, idd_rest): the digits after the region's international prefix. -#}
{% macro phone_idd_rests(source, md) %}
    {{ return(adapter.dispatch('phone_idd_rests', 'crm_quality')(source, md)) }}
{% endmacro %}

{% macro default__phone_idd_rests(source, md) %}
phone_idd_rests as {{ phone_materialized() }} (
    select
        phone_id,
        {{ phone_case_idd_rest('region', 'digits', md) }} as idd_rest
    from {{ source }}
    where region is not null
)
{%- endmacro %}

{#- phone_default_country_rests (phone_id, default_country_digits): the national digits when the
    region's own calling code leads a number written without an international prefix. -#}
{% macro phone_default_country_rests(source, md) %}
    {{ return(adapter.dispatch('phone_default_country_rests', 'crm_quality')(source, md)) }}
{% endmacro %}

{% macro default__phone_default_country_rests(source, md) %}
phone_default_country_rests as {{ phone_materialized() }} (
    select
        phone_id,
        {{ phone_case_default_country('region', 'digits', md) }} as default_country_digits
    from {{ source }}
    where route = 'default' and is_known_region
)
{%- endmacro %}

{#- phone_significant (phone_id, calling_code, national_number): the national number without its
    national prefix, where its length is possible for the calling code. -#}
{% macro phone_significant_numbers(source, md) %}
    {{ return(adapter.dispatch('phone_significant_numbers', 'crm_quality')(source, md)) }}
{% endmacro %}

{% macro default__phone_significant_numbers(source, md) %}
phone_national_prefix as {{ phone_materialized() }} (
    select
        phone_id,
        calling_code,
        metadata_key,
        national_digits,
        {{ phone_case_strip_national_prefix('metadata_key', 'national_digits', md) }} as without_national_prefix
    from {{ source }}
),

phone_significant_candidates as {{ phone_materialized() }} (
    {#- The prefix is dropped only if what remains has a possible length (or is too long). Its own
        step: a filter on the case below would copy it into every branch of the next one, and
        DuckDB took half a minute to plan that. -#}
    select
        phone_id,
        calling_code,
        case
            when {{ phone_case_keeps_length('metadata_key', 'length(without_national_prefix)', md) }}
                then without_national_prefix
            else national_digits
        end as national_number
    from phone_national_prefix
),

phone_significant as {{ phone_materialized() }} (
    select
        phone_id,
        calling_code,
        national_number
    from phone_significant_candidates
    where length(national_number) <= 17
        and {{ phone_case_is_possible('calling_code', 'length(national_number)', md) }}
)
{%- endmacro %}

{#- phone_valid (phone_id, phone): E.164 of the numbers valid in the region they belong to; phone is
    null, or the number has no row, otherwise. -#}
{% macro phone_valid_numbers(source, md) %}
    {{ return(adapter.dispatch('phone_valid_numbers', 'crm_quality')(source, md)) }}
{% endmacro %}

{% macro default__phone_valid_numbers(source, md) %}
phone_number_region as {{ phone_materialized() }} (
    select
        *,
        {{ phone_case_number_region('calling_code', 'national_number', md) }} as number_region
    from {{ source }}
),

{#- A null phone rather than a filter: DuckDB pushes a reader's filter into the CTE it reads and
    keeps it in the reader too, so every number's regexes ran twice. -#}
phone_valid as {{ phone_materialized() }} (
    select
        phone_id,
        case
            when number_region is not null
                and {{ phone_case_is_valid('number_region', 'national_number', md) }}
                then '+' || calling_code || national_number
        end as phone
    from phone_number_region
)
{%- endmacro %}
