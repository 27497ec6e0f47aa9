{#-
    Dates and timestamps as crm_quality/standardize/dates.py parses them and validate.py
    judges them, set-based. Each relation macro selects, for each row of `relation` (give it
    the distinct raw values and join the result back), the raw value, the parsed value
    (null unless valid) and its status ('valid', 'missing', 'invalid'):
      standardize_timestamp_values  parse_timestamp + timestamp_status (created_at, updated_at)
      standardize_date_values       parse_date + timestamp_status with `earliest` (order_date)
      standardize_birth_date_values parse_date + birth_date_status (birth_date)
    Accepted: 'YYYY-MM-DD', 'DD.MM.YYYY', 'YYYY/MM/DD' (months and days of one or two digits),
    each optionally followed by 'T', a space or a comma (ICU locales: '12/6/2026, 9:14 AM') and 'H:MM', 'HH:MM:SS' with a '.' or ','
    fraction, then 'Z' or an offset '+HH', '+HHMM', '+HH:MM'. Ambiguous 'MM/DD/YYYY' and
    'DD/MM/YYYY' are accepted only from a source whose sources.yml declares how its dates
    read, `date_order: month_first` (M/D/YYYY: US Salesforce reports, Excel in the US locale)
    or `date_order: day_first` (D/M/YYYY); their time may be on a 12-hour clock, 'h:mm AM',
    'h:mm:ss PM' (12 AM is midnight, 12 PM noon; hours 1 to 12 only). Give the macros a column
    `date_order` of the relation holding each value's order ('month_first', 'day_first',
    anything else for the default): `date_order_key` spells a source's declared order (null
    when it declares none) as that column's value, so a model standardizes each distinct (raw
    value, order) pair once and joins back on both. A regex picks the parts, arithmetic
    rejects impossible dates and times, and only canonical text reaches a cast, so no engine's
    lenient date parser is involved.
-#}

{#- A source's declared date_order (stg_sources__fields) as a non-null key: equality joins on
    it keep hash joins on PostgreSQL. -#}
{% macro date_order_key(expression) -%}
    coalesce({{ expression }}, 'default')
{%- endmacro %}

{#- Each source's declared date order as a key (date_order_key), one row per source. -#}
{% macro source_date_orders() -%}
    select distinct
        source_name,
        {{ date_order_key('date_order') }} as date_order
    from {{ ref('stg_sources__fields') }}
{%- endmacro %}

{#- The distinct non-null texts of `column` in `records` with their source's date order, from
    `orders` (a relation of source_date_orders()): what the relation macros below standardize. -#}
{% macro dated_texts(records, column, orders='source_date_orders') -%}
    select distinct
        {{ records }}.{{ column }},
        {{ date_order_key(orders ~ '.date_order') }} as date_order
    from {{ records }}
    left join {{ orders }} on {{ records }}.source_name = {{ orders }}.source_name
    where {{ records }}.{{ column }} is not null
{%- endmacro %}

{% macro temporal_pattern() -%}
    {%- set day_first = '([0-9]{1,2})\\.([0-9]{1,2})\\.([0-9]{4})' -%}
    {%- set ordered = '([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})' -%}
    {%- set clock = '(?:(?:[Tt ]|,) ?([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?' -%}
    {%- set meridiem = '(?: ?([AaPp][Mm]))?' -%}
    {%- set zone = ' ?([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?' -%}
    ^(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})|{{ day_first }}|([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})|{{ ordered }}){{ clock }}{{ meridiem }}{{ zone }}$
{%- endmacro %}

{% macro temporal_group_names() -%}
    {{ return([
        'iso_year', 'iso_month', 'iso_day',
        'dotted_day', 'dotted_month', 'dotted_year',
        'slashed_year', 'slashed_month', 'slashed_day',
        'ordered_leading', 'ordered_trailing', 'ordered_year',
        'hour', 'minute', 'second', 'fraction', 'meridiem', 'zone',
    ]) }}
{%- endmacro %}

{#-
    The common parse: raw_value, date_order (the relation's column `date_order` names, else
    null: the default), date_text (cleaned, placeholders of field type 'date' removed: null
    means missing), parsed_timestamp (parse_timestamp: UTC, microseconds) and parsed_date
    (parse_date: the date as written).
-#}
{% macro temporal_values_parsed(relation, column, placeholders=none, date_order=none) -%}
    {%- set names = temporal_group_names() -%}
    with

    date_placeholders as (
        {{ placeholder_rows_of('date', placeholders) }}
    ),

    date_cleaned as {{ materialized_cte() }} (
        select
            raw_value,
            date_order,
            case when {{ placeholder_fold('date_text') }} not in (select placeholder from date_placeholders) then date_text end
                as date_text
        from (
            select
                {{ column }} as raw_value,
                {{ date_order if date_order is not none else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as date_order,
                {{ clean_text_expression(column) }} as date_text
            from {{ relation }}
        ) as cleaned
    ),

    date_captured as {{ materialized_cte() }} (
        select
            raw_value,
            date_order,
            date_text,
            {{ regex_captures(ascii_digits('date_text'), temporal_pattern(), names) }} as captures
        from date_cleaned
    ),

    {#- M/D/YYYY or D/M/YYYY: month and day by the value's order; with none declared, neither
        (an ambiguous date, invalid). -#}
    date_parts as (
        select
            raw_value,
            date_order,
            date_text,
            coalesce({{ regex_captured('captures', names, 'iso_year') }}, {{ regex_captured('captures', names, 'dotted_year') }}, {{ regex_captured('captures', names, 'slashed_year') }}, {{ regex_captured('captures', names, 'ordered_year') }})
                as year_text,
            lpad(coalesce({{ regex_captured('captures', names, 'iso_month') }}, {{ regex_captured('captures', names, 'dotted_month') }}, {{ regex_captured('captures', names, 'slashed_month') }}, case date_order
                when 'month_first' then {{ regex_captured('captures', names, 'ordered_leading') }}
                when 'day_first' then {{ regex_captured('captures', names, 'ordered_trailing') }}
            end), 2, '0')
                as month_text,
            lpad(coalesce({{ regex_captured('captures', names, 'iso_day') }}, {{ regex_captured('captures', names, 'dotted_day') }}, {{ regex_captured('captures', names, 'slashed_day') }}, case date_order
                when 'month_first' then {{ regex_captured('captures', names, 'ordered_trailing') }}
                when 'day_first' then {{ regex_captured('captures', names, 'ordered_leading') }}
            end), 2, '0')
                as day_text,
            {{ regex_captured('captures', names, 'ordered_year') }} is not null as is_ordered,
            lpad(coalesce({{ regex_captured('captures', names, 'hour') }}, '0'), 2, '0') as hour_text,
            upper({{ regex_captured('captures', names, 'meridiem') }}) as meridiem_text,
            coalesce({{ regex_captured('captures', names, 'minute') }}, '00') as minute_text,
            coalesce({{ regex_captured('captures', names, 'second') }}, '00') as second_text,
            {#- Python keeps the first six fraction digits: truncated, not rounded. -#}
            rpad(substr(coalesce({{ regex_captured('captures', names, 'fraction') }}, '0'), 1, 6), 6, '0')
                as microsecond_text,
            upper({{ regex_captured('captures', names, 'zone') }}) as zone_text,
            {{ regex_captured('captures', names, 'hour') }} is not null as has_time
        from date_captured
    ),

    date_numbers as (
        select
            *,
            cast(year_text as integer) as year_number,
            cast(month_text as integer) as month_number,
            cast(day_text as integer) as day_number,
            {#- A 12-hour clock's hours run 1 to 12: 12 AM is hour 0, 12 PM hour 12. -#}
            case
                when meridiem_text is null then cast(hour_text as integer)
                when cast(hour_text as integer) between 1 and 12
                    then cast(hour_text as integer) % 12 + case when meridiem_text = 'PM' then 12 else 0 end
            end as hour_number,
            {#- Offsets: '+HH', '+HHMM' or '+HH:MM'; the minutes are not capped at 59. -#}
            case
                when zone_text is null or zone_text = 'Z' then 0
                else
                    (case when substr(zone_text, 1, 1) = '-' then -1 else 1 end)
                    * (
                        cast(substr(zone_text, 2, 2) as integer) * 60
                        + coalesce(cast(nullif(substr(replace(zone_text, ':', ''), 4, 2), '') as integer), 0)
                    )
            end as zone_minutes
        from date_parts
    ),

    date_checked as (
        select
            *,
            lpad(cast(hour_number as {{ dbt.type_string() }}), 2, '0') as day_hour_text,
            year_number >= 1
            and month_number between 1 and 12
            and day_number between 1 and case
                when month_number in (4, 6, 9, 11) then 30
                when month_number = 2 and (
                    (year_number % 4 = 0 and year_number % 100 != 0) or year_number % 400 = 0
                ) then 29
                when month_number = 2 then 28
                else 31
            end as is_real_date,
            hour_number <= 23
            {# AM and PM follow only the times of M/D/YYYY and D/M/YYYY dates. #}
            and (meridiem_text is null or is_ordered)
            and cast(minute_text as integer) <= 59
            and cast(second_text as integer) <= 59
            {# Python's timezone() takes offsets strictly under a day. #}
            and abs(zone_minutes) < 1440 as is_real_time
        from date_numbers
    ),

    date_stamped as (
        select
            raw_value,
            date_order,
            date_text,
            has_time,
            case when is_real_date then cast(year_text || '-' || month_text || '-' || day_text as date) end
                as written_date,
            {{ minutes_added(
                timestamp_from_canonical_text(
                    "case when is_real_date and is_real_time then year_text || '-' || month_text || '-' || day_text
                    || ' ' || day_hour_text || ':' || minute_text || ':' || second_text || '.' || microsecond_text end"
                ),
                '-zone_minutes'
            ) }} as utc_timestamp
        from date_checked
    ),

    date_parsed as (
        select
            raw_value,
            date_order,
            date_text,
            has_time,
            written_date,
            {#- Python's datetime stops at years 1 and 9999: a shift past them is no timestamp. -#}
            case
                when utc_timestamp between cast('0001-01-01 00:00:00' as timestamp)
                    and cast('9999-12-31 23:59:59.999999' as timestamp)
                    then utc_timestamp
            end as parsed_timestamp
        from date_stamped
    )

    select
        raw_value,
        date_order,
        date_text,
        parsed_timestamp,
        case when not has_time or parsed_timestamp is not null then written_date end as parsed_date
    from date_parsed
{%- endmacro %}

{#- validate.timestamp_status for a parsed date or timestamp (judged by its date). -#}
{% macro temporal_status(text_column, parsed_column, as_of, future_slack_days, earliest=none) -%}
    case
        when {{ text_column }} is null then 'missing'
        when {{ parsed_column }} is null then 'invalid'
        when cast({{ parsed_column }} as date) > {{ days_added(as_of, future_slack_days) }} then 'invalid'
        {%- if earliest is not none %}
        when cast({{ parsed_column }} as date) < cast({{ earliest }} as date) then 'invalid'
        {%- endif %}
        else 'valid'
    end
{%- endmacro %}

{#- validate.birth_date_status: in the future, before `earliest` or an age over the limit. -#}
{% macro birth_date_status(text_column, date_column, as_of, earliest, max_age_years) -%}
    case
        when {{ text_column }} is null then 'missing'
        when {{ date_column }} is null then 'invalid'
        when {{ date_column }} > cast({{ as_of }} as date) then 'invalid'
        when {{ date_column }} < cast({{ earliest }} as date) then 'invalid'
        when
            extract(year from cast({{ as_of }} as date)) - extract(year from {{ date_column }})
            - case
                when
                    extract(month from cast({{ as_of }} as date)) * 100 + extract(day from cast({{ as_of }} as date))
                    < extract(month from {{ date_column }}) * 100 + extract(day from {{ date_column }})
                    then 1
                else 0
            end > {{ max_age_years }}
            then 'invalid'
        else 'valid'
    end
{%- endmacro %}

{% macro standardize_timestamp_values(
    relation, column, prefix, as_of=none, future_slack_days=none, placeholders=none,
    date_order=none
) -%}
    {%- set as_of = as_of if as_of is not none else as_of_date() -%}
    {%- set slack = future_slack_days if future_slack_days is not none else var('future_slack_days') -%}
    select
        raw_value as {{ column }},
        {%- if date_order is not none %}
        date_order as {{ date_order }},
        {%- endif %}
        case when status = 'valid' then parsed_timestamp end as {{ prefix }},
        status as {{ prefix }}_status
    from (
        select
            raw_value,
            date_order,
            parsed_timestamp,
            {{ temporal_status('date_text', 'parsed_timestamp', as_of, slack) }} as status
        from ({{ temporal_values_parsed(relation, column, placeholders, date_order) }}) as parsed
    ) as judged
{%- endmacro %}

{% macro standardize_date_values(
    relation, column, prefix, as_of=none, future_slack_days=none, earliest=none, placeholders=none,
    date_order=none
) -%}
    {%- set as_of = as_of if as_of is not none else as_of_date() -%}
    {%- set slack = future_slack_days if future_slack_days is not none else var('future_slack_days') -%}
    select
        raw_value as {{ column }},
        {%- if date_order is not none %}
        date_order as {{ date_order }},
        {%- endif %}
        case when status = 'valid' then parsed_date end as {{ prefix }},
        status as {{ prefix }}_status
    from (
        select
            raw_value,
            date_order,
            parsed_date,
            {{ temporal_status('date_text', 'parsed_date', as_of, slack, earliest) }} as status
        from ({{ temporal_values_parsed(relation, column, placeholders, date_order) }}) as parsed
    ) as judged
{%- endmacro %}

{% macro standardize_birth_date_values(
    relation, column, as_of=none, min_birth_date=none, max_age_years=none, placeholders=none,
    date_order=none
) -%}
    {%- set as_of = as_of if as_of is not none else as_of_date() -%}
    {%- set earliest = min_birth_date if min_birth_date is not none else "'" ~ var('min_birth_date') ~ "'" -%}
    {%- set max_age = max_age_years if max_age_years is not none else var('max_age_years') -%}
    select
        raw_value as {{ column }},
        {%- if date_order is not none %}
        date_order as {{ date_order }},
        {%- endif %}
        case when status = 'valid' then parsed_date end as birth_date,
        status as birth_date_status
    from (
        select
            raw_value,
            date_order,
            parsed_date,
            {{ birth_date_status('date_text', 'parsed_date', as_of, earliest, max_age) }} as status
        from ({{ temporal_values_parsed(relation, column, placeholders, date_order) }}) as parsed
    ) as judged
{%- endmacro %}
