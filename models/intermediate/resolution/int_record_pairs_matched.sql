-- Links between records that belong to the same person. This is the one place entity
-- resolution decides "same person"; clustering and every mart downstream only read the
-- links. Deterministic version: exact equality of standardized keys, each combining fields
-- that different people (household members included) rarely share.
--
-- Each key value links every record to the smallest record carrying it (a star, not all
-- pairs), which gives the same clusters in linear rather than quadratic work. Key values
-- shared by more than `max_exact_key_group_size` records (info@, a switchboard number) are
-- not evidence of identity and are skipped.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

match_keys as (

    select
        record_key,
        'email' as match_rule,
        email as match_value
    from records
    where email is not null

    union all

    select
        record_key,
        'name_birth_date' as match_rule,
        first_name_key || '|' || last_name_key || '|' || cast(cast(birth_date as date) as {{ dbt.type_string() }})
            as match_value
    from records
    where first_name_key is not null and last_name_key is not null and birth_date is not null

    union all

    select
        record_key,
        'name_phone' as match_rule,
        first_name_key || '|' || last_name_key || '|' || phone as match_value
    from records
    where first_name_key is not null and last_name_key is not null and phone is not null

    union all

    -- Without the first name (often blank in the CRM): household members share phone, surname
    -- and address but not a birth date, so the birth date keeps them apart.
    select
        record_key,
        'phone_birth_date' as match_rule,
        phone || '|' || cast(cast(birth_date as date) as {{ dbt.type_string() }}) as match_value
    from records
    where phone is not null and birth_date is not null

    union all

    select
        record_key,
        'surname_birth_date_postal_code' as match_rule,
        last_name_key || '|' || cast(cast(birth_date as date) as {{ dbt.type_string() }}) || '|'
        || country || '|' || postal_code as match_value
    from records
    where last_name_key is not null and birth_date is not null and country is not null and postal_code is not null

    union all

    select
        record_key,
        'first_name_birth_date_postal_code' as match_rule,
        first_name_key || '|' || cast(cast(birth_date as date) as {{ dbt.type_string() }}) || '|'
        || country || '|' || postal_code as match_value
    from records
    where first_name_key is not null and birth_date is not null and country is not null and postal_code is not null

    union all

    -- Namesakes in one postal code are real; namesakes at one street address are one person.
    select
        record_key,
        'name_address' as match_rule,
        first_name_key || '|' || last_name_key || '|' || country || '|' || postal_code || '|'
        || lower(replace(street_address, ' ', '')) as match_value
    from records
    where
        first_name_key is not null
        and last_name_key is not null
        and country is not null
        and postal_code is not null
        and street_address is not null

),

key_groups as (

    select
        record_key,
        match_rule,
        min(record_key) over (partition by match_rule, match_value) as anchor_record_key,
        count(*) over (partition by match_rule, match_value) as group_size

    from match_keys

),

links as (

    select
        anchor_record_key as record_key_l,
        record_key as record_key_r,
        match_rule

    from key_groups
    where
        record_key != anchor_record_key
        and group_size <= {{ var('max_exact_key_group_size') }}

),

final as (

    select
        record_key_l,
        record_key_r,
        {{ list_agg('match_rule', 'match_rule') }} as match_rules,
        1.0 as match_probability

    from links
    group by record_key_l, record_key_r

)

select * from final
