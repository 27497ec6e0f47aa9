{#- The matching input from the standardized person records in `relation`: the query of
    crm_quality.matching.features.features_sql (the reference, which training uses;
    python_checks/unit/test_matching_sql_scoring.py holds the two equal). An e-mail or phone on
    more than `max_key_group_size` records is null, and so is an e-mail whose records name
    several people (more than one first name, and more than one birth date or, with no birth
    dates, first names less alike than features.NAME_SIMILARITY): a value is kept only where
    that is known to be false. The shared values are counted with one GROUP BY each and joined
    back; windows over every record took twice the CPU. -#}
{% macro matching_features(relation, max_key_group_size) %}
    {%- set birth_date_text = matching_date_text('cast(birth_date as date)') -%}
    with

    shared_email as (

        select email as shared
        from {{ relation }}
        where email is not null
        group by email
        having coalesce(
            count(*) > {{ max_key_group_size | int }}
            or (
                min(first_name_key) <> max(first_name_key)
                and coalesce(
                    min(cast(birth_date as date)) <> max(cast(birth_date as date)),
                    {{ jaro_winkler_similarity_function() }}(min(first_name_key), max(first_name_key)) < 0.88
                )
            ),
            true
        )

    ),

    shared_phone as (

        select phone_key as shared
        from {{ relation }}
        where phone_key is not null
        group by phone_key
        having count(*) > {{ max_key_group_size | int }}

    )

    select
        record_key,
        source_system,
        first_name_key,
        last_name_key,
        case
            when first_name_key is not null and last_name_key is not null
                then least(first_name_key, last_name_key) || '|' || greatest(first_name_key, last_name_key)
        end as name_pair_key,
        case when shared_email.shared is null then email end as email,
        case when shared_phone.shared is null then phone_key end as phone,
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
    from {{ relation }}
    left join shared_email on email = shared_email.shared
    left join shared_phone on phone_key = shared_phone.shared
{%- endmacro %}
