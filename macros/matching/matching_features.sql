{#- The matching input from standardized person records: the select list of
    crm_quality.matching.features.feature_select_sql (the reference, which training still
    uses; python_checks/unit/test_matching_sql_scoring.py holds the two equal). An e-mail or
    phone on more than `max_key_group_size` records is null, and so is an e-mail whose records
    name several people (more than one first name and more than one birth date). -#}
{% macro matching_features(max_key_group_size) %}
    {%- set birth_date_text = matching_date_text('cast(birth_date as date)') -%}
    {%- set person_evidence = ['first_name_key', 'cast(birth_date as date)'] -%}
    {%- set several_people -%}
        {%- for value in person_evidence -%}
            min({{ value }}) over (partition by email) <> max({{ value }}) over (partition by email)
            {%- if not loop.last %} and {% endif -%}
        {%- endfor -%}
    {%- endset %}
    record_key,
    source_system,
    first_name_key,
    last_name_key,
    case
        when not (count(*) over (partition by email) > {{ max_key_group_size | int }} or ({{ several_people }}))
            then email
    end as email,
    case when not (count(*) over (partition by phone_key) > {{ max_key_group_size | int }}) then phone_key end as phone,
    nullif(lower(replace(replace(street_address, ' ', ''), ',', '')), '') as street_key,
    nullif(upper(replace(postal_code, ' ', '')), '') as postal_key,
    lower(city) as city_key,
    cast(birth_date as date) as birth_date,
    {{ birth_date_text }} as birth_date_text,
    cast(substr({{ birth_date_text }}, 1, 4) as integer) as birth_year,
    cast(substr({{ birth_date_text }}, 6, 2) as integer) as birth_month,
    cast(substr({{ birth_date_text }}, 9, 2) as integer) as birth_day,
    substr({{ birth_date_text }}, 6, 5) as birth_month_day,
    substr({{ birth_date_text }}, 9, 2) || '-' || substr({{ birth_date_text }}, 6, 2) as birth_day_month
{%- endmacro %}
